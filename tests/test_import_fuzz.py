"""Fuzz test of the import (issue 8, item 5): hypothesis corrupts valid template files at
random — encodings, BOM, line endings, quoting, truncation, stray bytes, huge and odd
cells, odd headers; for XLSX a lying dimension, formulas with and without results,
hidden sheets — and two properties must hold for every batch:

- a rejected batch leaves every table's content checksum unchanged;
- an accepted batch round-trips exactly: every row of the files, read by an independent
  reference (Python's csv module, or the rows written into the workbook) and typed by
  the documented rules (README "导入时的规范化"), is what the database holds.

Bounded for CI: 40 CSV batches and 20 workbook batches (EXAMPLES below), ~1 minute.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import import_fixture as fx
from import_fixture import memory_con  # noqa: F401  (fixture)
from scoring import contract
from scoring.importer import BLANKS, import_files

EXAMPLES = {"csv": 40, "xlsx": 20}
TABLES = ("institutions", "loans", "interest_payments", "flags")
ODD_CELLS = ["=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1", "-1", " 两边空格 ", "\u200b", "ｆｕｌｌ", "tab\there",
             "换\n行", '"引号"', "；", "\x00", "\x07", "0.038500000000000006", "1e3", "٣", "ＬＮ１", "ln1", "", "#注释",
             "0000-01-01", "9999-12-31", "99999999999999.99", "𠀀", "\ufeff"]
TRUE = {"true", "是", "1"}


def settings_for(kind: str):
    return settings(max_examples=EXAMPLES[kind], deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# --- what the user meant: rows, mutated at random ---------------------------------------------

@st.composite
def batches(draw) -> dict[str, list[dict[str, str]]]:
    """One to three tables of fixture rows (some under new keys), with odd cells and headers."""
    tables = draw(st.lists(st.sampled_from(TABLES), min_size=1, max_size=3, unique=True))
    batch = {}
    for table in tables:
        rows = [dict(r) for r in fx.ROWS[table]]
        key = contract.TABLES[table].key[0]
        for row in rows:
            if draw(st.booleans()):
                row[key] = row[key] + draw(st.sampled_from(["X", "Y", "-2", "甲"]))
        for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
            row = draw(st.sampled_from(rows))
            column = draw(st.sampled_from(list(row)))
            row[column] = draw(st.sampled_from(ODD_CELLS) | st.text(max_size=6) |
                               st.integers(32_760, 32_775).map(lambda n: "长" * n))
        batch[table] = rows
    return batch


@st.composite
def headers(draw, table: str) -> list[str]:
    names = list(contract.TABLES[table].names)
    change = draw(st.sampled_from(["none"] * 5 + ["upper", "spaces", "unknown", "repeat", "drop", "reorder"]))
    if change == "upper":
        names[0] = names[0].upper()
    elif change == "spaces":
        names = [f" {n} " for n in names]
    elif change == "unknown":
        names.append("额外列")
    elif change == "repeat":
        names.append(names[0])
    elif change == "drop":
        names.pop(draw(st.integers(0, len(names) - 1)))
    elif change == "reorder":
        names = draw(st.permutations(names))
    return names


def csv_file(rows: list[dict[str, str]], header: list[str], quoting: int, line_end: str, labels: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=quoting, lineterminator=line_end)
    writer.writerow(header)
    if labels:
        writer.writerow(["#说明"] + [""] * (len(header) - 1))
    writer.writerows([[row.get(h.strip(), "") for h in header] for row in rows])
    return out.getvalue()


# --- the properties ---------------------------------------------------------------------------

@settings_for("csv")
@given(batch=batches(), data=st.data())
def test_corrupted_csv_batches_are_refused_untouched_or_round_trip_exactly(con, batch, data):
    files = []
    for table, rows in batch.items():
        header = data.draw(headers(table))
        text = csv_file(rows, header, data.draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
                        data.draw(st.sampled_from(["\n", "\r\n", "\r"])), data.draw(st.booleans()))
        encoding = data.draw(st.sampled_from(["utf-8-sig"] * 3 + ["utf-8"] * 3 + ["gbk", "utf-16"]))
        content = text.encode(encoding, errors="replace")
        damage = data.draw(st.sampled_from(["none"] * 5 + ["truncate", "byte", "quote"]))
        if damage == "truncate":
            content = content[:data.draw(st.integers(0, len(content)))]
        elif damage == "byte":
            at = data.draw(st.integers(0, len(content)))
            content = content[:at] + bytes([data.draw(st.integers(0, 255))]) + content[at:]
        elif damage == "quote":
            content += b'"unterminated'
        files.append((f"{table}.csv", content))
    check(con, files, {name: reference_csv(content) for name, content in files})


@settings_for("xlsx")
@given(batch=batches(), data=st.data())
def test_corrupted_workbooks_are_refused_untouched_or_round_trip_exactly(con, batch, data):
    book = openpyxl.Workbook()
    book.active.title = "说明"  # an empty sheet, ignored; it keeps one sheet visible whatever is hidden
    expected = {}
    for table, rows in batch.items():
        rows = [{k: ILLEGAL_CHARACTERS_RE.sub("", v) for k, v in row.items()} for row in rows]  # XML cannot hold them
        header = data.draw(headers(table))
        sheet = book.create_sheet(table)
        sheet.append(header)
        for r, row in enumerate(rows, start=2):
            for c, name in enumerate(header, start=1):
                if row.get(name.strip()):
                    cell = sheet.cell(r, c)
                    cell.value = row[name.strip()]
                    cell.data_type = "s"  # the template formats every column as text
        expected[f"book.xlsx[{table}]"] = (header, [[row.get(h.strip(), "") for h in header] for row in rows])
        trick = data.draw(st.sampled_from(["none"] * 4 + ["formula", "hidden", "far_cell"]))
        if trick == "formula":
            sheet.cell(len(rows) + 2, 1).value = "=1+1"  # saved without a result: must be refused
        elif trick == "hidden":
            sheet.sheet_state = "hidden"
        elif trick == "far_cell":
            sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    if data.draw(st.booleans()):  # a dimension that lies is never trusted
        content = lying_dimension(content)
    check(con, [("book.xlsx", content)], expected)


def check(con, files, expected) -> None:
    before = fx.fingerprint(con)
    report = import_files(con, files)
    event("accepted" if report.ok else "rejected")  # pytest --hypothesis-show-statistics shows the mix
    if not report.ok:
        assert fx.fingerprint(con) == before, "a rejected batch changed the database"
        assert all(re.search(r"[\u4e00-\u9fff]", e.message) for e in report.errors)
        return
    for result in report.files:
        header, rows = expected[result.file]
        assert rows is not None, f"{result.file} was accepted though it cannot be read as UTF-8 CSV"
        stored_rows_equal(con, result.table, header, rows)


# --- the independent reference -----------------------------------------------------------------

def reference_csv(content: bytes) -> tuple[list[str], list[list[str]] | None]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], None
    records = list(csv.reader(io.StringIO(text, newline="")))
    return (records[0], records[1:]) if records else ([], [])


def stored_rows_equal(con, table: str, header: list[str], records: list[list[str]]) -> None:
    spec = contract.TABLES[table]
    names = [h.strip() for h in header]
    rows = [dict(zip(names, (cell.strip(BLANKS) for cell in record))) for record in records]
    if rows and next(iter(rows[0].values()), "").startswith("#"):
        rows = rows[1:]
    rows = [r for r in rows if any(r.values())]
    for row in rows:
        expected = {c.name: typed(table, c, row.get(c.name, "")) for c in spec.columns}
        key = [expected[k] for k in spec.key]
        got = con.execute(f"select * from {table} where ({', '.join(spec.key)}) = ({', '.join('?' * len(key))})",
                          key).fetchall()
        assert got == [tuple(expected[c.name] for c in spec.columns)], (table, row)


def typed(table: str, column: contract.Column, text: str):
    """A cell as the database must hold it, by the README's rules."""
    identifier = column.kind == "credit_code" or (column.kind == "text" and (column.ref or column.name in contract.TABLES[table].key))
    if identifier or column.kind != "text" or column.values:
        text = re.sub(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]", "",
                      unicodedata.normalize("NFKC", text)).strip(BLANKS)
        text = text.upper() if identifier else text
    if not text:
        text = column.default or ""
    if not text:
        return None
    if column.kind in ("money", "rate"):
        places = 2 if column.kind == "money" else 6
        exact = Decimal(text)
        rounded = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        assert rounded == exact or abs(float(rounded) - float(text)) <= 4 * math.ulp(float(text))
        return rounded
    return {
        "date": lambda: date.fromisoformat(text),
        "int": lambda: int(text),
        "bool": lambda: text.lower() in TRUE,
        "list": lambda: ";".join(i.strip() for i in re.split("[;；]", text) if i.strip()) or None,
    }.get(column.kind, lambda: text)()


def lying_dimension(content: bytes) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                part = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048576"/>', part)
            target.writestr(info.filename, part)
    return out.getvalue()
