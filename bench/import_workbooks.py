"""Reading speed of uploaded workbooks: the importer's reader (zip check and XML scan,
then python-calamine) against openpyxl's read-only mode, which it replaced (issue 8).

    python bench/import_workbooks.py [--rows 1048575] [--sheets 300]

Two workbooks are written with xlsxwriter (constant memory): one sheet of `--rows`
loans (16 columns), and `--sheets` sheets of 20 flags each. Each reader is timed in
a fresh process (peak memory is that process's max RSS), in the same run, so the ratio
holds on a loaded machine. Results go to bench/results/import_workbooks.txt.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READERS = {
    "importer": """
import resource, sys, time
from scoring.importing import workbook
from scoring.importing.limits import Limits
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
sheets, issues = workbook.read("b.xlsx", data, Limits(sheets=10_000))  # the default refuses over 64 sheets
assert not issues, issues[:3]
rows = sum(s.rows.num_rows for s in sheets)
print(time.perf_counter() - start, rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""",
    "openpyxl": """
import io, resource, sys, time
import openpyxl
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
rows = 0
for sheet in book.worksheets:
    sheet.reset_dimensions()
    rows += sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
print(time.perf_counter() - start, rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""",
}


def write_loans(path: Path, rows: int) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("loans")
    sheet.write_row(0, 0, ["loan_id", "inst_id", "ent_id", "project_id", "app_id", "product_id", "kind", "amount",
                           "land_amount", "rate", "lpr", "signed_on", "disbursed_on", "maturity_on", "relending", "credit_line"])
    for i in range(1, rows + 1):
        sheet.write_row(i, 0, [f"LN{i:07d}", "B01", "91500101MA5U0A0B1X", f"P{i:07d}", f"A{i:07d}", "", "loan",
                               1_000_000 + i, 0, 0.0345, 0.0345, "2025-03-12", "2025-03-14", "2028-03-12", "none", ""])
    book.close()


def write_sheets(path: Path, sheets: int) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for s in range(sheets):
        sheet = book.add_worksheet(f"flags_{s}")
        sheet.write_row(0, 0, ["flag_id", "inst_id", "year", "kind", "note"])
        for i in range(1, 21):
            sheet.write_row(i, 0, [f"F{s}-{i}", "B01", 2025, "data_quality", "演示"])
    book.close()


def measure(reader: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", READERS[reader], str(path)], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    return {"seconds": round(float(out[0]), 1), "rows": int(out[1]), "peak_mb": round(int(out[2]) / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_048_575)
    parser.add_argument("--sheets", type=int, default=300)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for label, write, n in (("many sheets", write_sheets, args.sheets), ("one sheet", write_loans, args.rows)):
            if not n:
                continue
            path = Path(folder) / f"{label}.xlsx"
            write(path, n)
            size = path.stat().st_size
            results[label] = {"n": n, "mb": round(size / 2**20, 1),
                              **{reader: measure(reader, path) for reader in READERS}}
            print(label, json.dumps(results[label], ensure_ascii=False), flush=True)
    out = ROOT / "bench" / "results" / "import_workbooks.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
