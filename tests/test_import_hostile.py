"""Hostile uploads (issue 8, items 1–4): every file a bank uploads is untrusted. Bombs
are refused before they are parsed, values that would change meaning are refused or
normalised by the documented rules, values the engines cannot compute are refused, and
no file gets a traceback or an English message. Each test failed on the importer
before this change."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

import import_fixture as fx
from import_fixture import base_file, copied_con  # noqa: F401  (fixtures)
from scoring import subsidy
from scoring.access import REGULATOR
from scoring.importer import Limits, import_files
from scoring.policy import load_policy

POLICY = load_policy()  # the built-in policy file

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")  # three English words in a row: a raw library message


def refused(con, sources, **kwargs):
    """Import, expecting a refusal in Chinese with the database untouched; the errors."""
    before = fx.fingerprint(con)
    report = import_files(con, sources, **kwargs)
    assert not report.ok
    assert fx.fingerprint(con) == before
    for e in report.errors:
        assert CHINESE.search(e.message), e.message
        assert not ENGLISH.search(e.message), e.message
    return report.errors


def loan(**changes) -> dict[str, str]:
    return {**fx.ROWS["loans"][0], "loan_id": "LN9", "app_id": "", "product_id": "", **changes}


def csv_bytes(table: str, rows: list[dict[str, str]], labels: bool = False) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        return fx.write_csv(Path(folder) / f"{table}.csv", table, rows, labels=labels).read_bytes()


def workbook_bytes(fill) -> bytes:
    """A workbook written by xlsxwriter (which can store formulas with or without results)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    fill(book)
    book.close()
    return out.getvalue()


def flags_sheet(book, name="flags", rows=(("F7", "B1", "2025", "data_quality"),)):
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, ["flag_id", "inst_id", "year", "kind"])
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, [str(v) for v in row])
    return sheet


# --- 1. memory bomb and limits ------------------------------------------------------------

def test_a_cell_at_the_last_excel_cell_is_refused_before_parsing(con, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "loans"
    sheet["A1"] = "loan_id"
    sheet["XFD1048576"] = "x"  # 1,048,576 × 16,384 cells if padded
    path = tmp_path / "bomb.xlsx"
    book.save(path)
    assert path.stat().st_size < 10_000
    errors = refused(con, [path])
    assert [(e.file, e.row) for e in errors] == [("bomb.xlsx[loans]", None)]
    assert "1,048,576 行 × 16,384 列" in errors[0].message and "超过导入上限" in errors[0].message


def test_a_declared_dimension_is_never_trusted_or_padded(con):
    data = workbook_bytes(lambda book: flags_sheet(book))
    data = _rewrite_part(data, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb'<dimension ref="[^"]+"/>',
                                                                              b'<dimension ref="A1:XFD1048576"/>', xml))
    report = import_files(con, [("book.xlsx", data)])
    assert report.ok, report.to_text()
    assert con.execute("select kind from flags where flag_id = 'F7'").fetchone() == ("data_quality",)


def test_a_zip_part_that_inflates_beyond_its_declared_size_is_refused(con):
    data = bytearray(workbook_bytes(lambda book: flags_sheet(book)))
    entry = "xl/worksheets/sheet1.xml".encode()
    # shrink the declared size of the sheet in the central directory (offset 24: uncompressed size)
    at, shrunk = data.find(b"PK\x01\x02"), 0
    while at >= 0:
        name_length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if bytes(data[at + 46:at + 46 + name_length]) == entry:
            size = struct.unpack("<I", data[at + 24:at + 28])[0]
            data[at + 24:at + 28] = struct.pack("<I", size // 2)
            shrunk += 1
        at = data.find(b"PK\x01\x02", at + 4)
    assert shrunk == 1
    errors = refused(con, [("book.xlsx", bytes(data))])
    assert len(errors) == 1 and "文件已损坏" in errors[0].message


@pytest.mark.parametrize("limits, fragment", [
    (Limits(file_bytes=100), "文件大小"),
    (Limits(rows=1), "超过单个文件（工作表）1 行的导入上限"),
    (Limits(cells=8), "8 个单元格的导入上限"),
    (Limits(columns=3), "表头有 5 列，超过导入上限 3 列"),
])
def test_each_csv_limit_refuses_the_file_by_name(con, limits, fragment):
    rows = [dict(fx.ROWS["flags"][0], flag_id=f"F{i}") for i in (7, 8)]
    errors = refused(con, [("flags.csv", csv_bytes("flags", rows))], limits=limits)
    assert len(errors) == 1 and errors[0].file == "flags.csv" and fragment in errors[0].message


@pytest.mark.parametrize("limits, fragment", [
    (Limits(sheets=1), "有 2 个工作表，超过导入上限 1 个"),
    (Limits(unzipped_bytes=1000), "解压后"),
    (Limits(rows=1), "已用区域达到 2 行 × 4 列"),
])
def test_each_workbook_limit_refuses_the_file_by_name(con, limits, fragment):
    data = workbook_bytes(lambda book: (flags_sheet(book), flags_sheet(book, "flags_2", [("F8", "B1", "2025", "risk_event")])))
    errors = refused(con, [("book.xlsx", data)], limits=limits)
    assert errors and all(e.file.startswith("book.xlsx") and fragment in e.message for e in errors)


def test_limits_are_settings_read_from_the_environment():
    assert Limits.from_env({"JIGAI_IMPORT_ROWS": "100", "JIGAI_IMPORT_CELL_CHARS": "50"}) == Limits(rows=100, cell_chars=50)
    assert Limits.from_env({}) == Limits()


def test_a_huge_cell_names_its_row_and_column_in_chinese(con):
    huge = "长" * 1_100_000  # over 1 MB: pyarrow refused it in English before
    errors = refused(con, [("flags.csv", csv_bytes("flags", [dict(fx.ROWS["flags"][0], flag_id="F7", note=huge)]))])
    assert [(e.row, e.column) for e in errors] == [(2, "note")]
    assert "1,100,000 个字符，超过导入上限 32,767" in errors[0].message and len(errors[0].value) < 200


def test_a_long_cell_within_the_limit_is_imported_whole(con):
    note = "说明" * 16_000
    assert import_files(con, [("flags.csv", csv_bytes("flags", [dict(fx.ROWS["flags"][0], flag_id="F7", note=note)]))]).ok
    assert con.execute("select note from flags where flag_id = 'F7'").fetchone() == (note,)


@pytest.mark.slow  # a 7 MB header read and checked
def test_a_million_column_header_gets_the_column_limit(con):
    header = ",".join(f"c{i}" for i in range(1_000_000))
    errors = refused(con, [("flags.csv", (header + "\n1\n").encode())])
    assert len(errors) == 1 and errors[0].row == 1
    assert "表头有 1,000,000 列，超过导入上限 256 列" in errors[0].message


# --- 2. values that change meaning silently -------------------------------------------------

def test_a_truncated_last_line_is_refused(con):
    content = csv_bytes("loans", [loan(), loan(loan_id="LN8")])
    errors = refused(con, [("loans.csv", content.rstrip(b"\n")[:-2])])  # credit_line cut from 50000000 to 500000
    assert [(e.file, e.row) for e in errors] == [("loans.csv", 3)] and "截断" in errors[0].message


def test_an_unterminated_quote_at_the_end_is_refused(con):
    content = csv_bytes("flags", [dict(fx.ROWS["flags"][0], flag_id="F7")]) + b'F8,B1,2025,data_quality,"half a note\n'
    errors = refused(con, [("flags.csv", content)])
    assert [(e.row, "引号没有配对" in e.message) for e in errors] == [(3, True)]


def test_a_formula_without_a_cached_value_is_refused_with_its_cell(con):
    def fill(book):
        sheet = flags_sheet(book)
        sheet.write_formula(1, 2, "=2024+1", None, "")  # stored with no result: would read as empty

    errors = refused(con, [("book.xlsx", workbook_bytes(fill))])
    assert [(e.file, e.row, e.column) for e in errors] == [("book.xlsx[flags]", 2, "C 列")]
    assert "公式" in errors[0].message


def test_a_formula_with_its_cached_value_imports_the_value(con):
    def fill(book):
        sheet = flags_sheet(book)
        sheet.write_formula(1, 2, "=2024+1", None, 2025)

    report = import_files(con, [("book.xlsx", workbook_bytes(fill))])
    assert report.ok, report.to_text()
    assert con.execute("select year from flags where flag_id = 'F7'").fetchone() == (2025,)


def test_a_hidden_sheet_with_data_is_refused(con):
    def fill(book):
        flags_sheet(book)
        flags_sheet(book, "flags_hidden", [("F8", "B1", "2025", "violation")]).hide()

    errors = refused(con, [("book.xlsx", workbook_bytes(fill))])
    assert [e.file for e in errors] == ["book.xlsx[flags_hidden]"] and "隐藏" in errors[0].message


@pytest.mark.parametrize("day", ["0000-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_dates_outside_the_plausible_years_are_refused(con, day):
    payment = {**fx.ROWS["interest_payments"][0], "payment_id": "IP9", "paid_on": day}
    errors = refused(con, [("interest_payments.csv", csv_bytes("interest_payments", [payment]))])
    assert [(e.column, e.value) for e in errors] == [("paid_on", day)]
    assert "2000-01-01 至 2100-12-31" in errors[0].message


def test_ids_differing_only_by_invisible_characters_case_or_width_are_one_id(con):
    rows = [loan(loan_id="LN000005\u200b"), loan(loan_id="ln000005"), loan(loan_id="ＬN000005")]
    errors = refused(con, [("loans.csv", csv_bytes("loans", rows))])
    assert [(e.row, e.column, e.value) for e in errors] == [(3, "loan_id", "LN000005"), (4, "loan_id", "LN000005")]
    assert all("编号重复" in e.message for e in errors)


def test_ids_are_stored_normalised_and_match_their_references(con):
    report = import_files(con, [("loans.csv", csv_bytes("loans", [loan(loan_id="ｌｎ\u200b９", inst_id="b1", project_id="p1")]))])
    assert report.ok, report.to_text()
    assert con.execute("select inst_id, project_id from loans where loan_id = 'LN9'").fetchone() == ("B1", "P1")
    again = import_files(con, [("loans.csv", csv_bytes("loans", [loan()]))])
    assert again.ok and again.files[0].unchanged == 1


@pytest.mark.parametrize("value", ["LN 9", 'LN"9', "LN\x009", "LN;9"])
def test_ids_outside_the_plain_character_set_are_refused(con, value):
    errors = refused(con, [("loans.csv", csv_bytes("loans", [loan(loan_id=value)]))])
    assert [e.column for e in errors] == ["loan_id"] and "编号只能由字母、数字、汉字" in errors[0].message


def test_control_characters_in_free_text_are_refused(con):
    errors = refused(con, [("flags.csv", csv_bytes("flags", [dict(fx.ROWS["flags"][0], flag_id="F7", note="迟\x07报")]))])
    assert [e.column for e in errors] == ["note"] and "控制字符" in errors[0].message


def test_full_width_numbers_dates_and_enums_are_read_as_typed_by_nfkc(con):
    row = loan(amount="１２３４５６７．８９", signed_on="２０２５－０３－１２", kind="ｌｏａｎ", credit_line="")
    report = import_files(con, [("loans.csv", csv_bytes("loans", [row]))])
    assert report.ok, report.to_text()
    assert con.execute("select amount, kind from loans where loan_id = 'LN9'").fetchone() == (Decimal("1234567.89"), "loan")


# --- 3. values the engines cannot compute ------------------------------------------------------

def test_amounts_above_the_plausible_bound_are_refused(con):
    errors = refused(con, [("loans.csv", csv_bytes("loans", [loan(amount="10000000000000.01", credit_line="")]))])
    assert [e.column for e in errors] == ["amount"] and "10 万亿元" in errors[0].message


@pytest.mark.parametrize("stored_loan", [True, False])
def test_an_interest_payment_above_its_loans_amount_is_refused(con, stored_loan):
    payment = {**fx.ROWS["interest_payments"][0], "payment_id": "IP9", "loan_id": "LN9", "interest_paid": "10000000.01"}
    files = [("interest_payments.csv", csv_bytes("interest_payments", [payment]))]
    if stored_loan:
        assert import_files(con, [("loans.csv", csv_bytes("loans", [loan()]))]).ok
    else:
        files.append(("loans.csv", csv_bytes("loans", [loan()])))
    errors = refused(con, files)
    assert [(e.file, e.column) for e in errors] == [("interest_payments.csv", "interest_paid")]
    assert "超过该笔贷款（租赁）的合同金额（10000000" in errors[0].message


@pytest.mark.parametrize("table, changes, column", [
    ("guarantees", {"fee_paid": "5000000.01"}, "fee_paid"),
    ("insurance_policies", {"premium": "8000000.01"}, "premium"),
])
def test_fees_and_premiums_above_what_they_cover_are_refused(con, table, changes, column):
    row = {**fx.ROWS[table][0], contract_key(table): "X9", **changes}
    errors = refused(con, [(f"{table}.csv", csv_bytes(table, [row]))])
    assert [e.column for e in errors] == [column]


def contract_key(table: str) -> str:
    from scoring import contract

    return contract.TABLES[table].key[0]


def test_the_largest_accepted_rows_do_not_overflow_the_subsidy_engine(con):
    """Every money value at its bound, interest equal to the amount, rate and LPR at their
    extremes, 50 such payments on one loan: the subsidy queries must still compute, exactly."""
    top = "9999999999999.99"
    big = loan(amount=top, land_amount="0", rate="0.24", lpr="0.000001", credit_line=top, signed_on="2025-01-02",
               disbursed_on="2025-01-02", maturity_on="2035-01-02")
    payments = [{"payment_id": f"IPX{i}", "loan_id": "LN9", "period_start": "2025-01-02", "period_end": "2025-06-20",
                 "paid_on": "2025-06-21", "interest_paid": top} for i in range(50)]
    guarantee = {**fx.ROWS["guarantees"][0], "guarantee_id": "GUX", "loan_id": "LN9", "guaranteed_amount": top,
                 "fee_rate": "0.24", "fee_paid": top}
    policy = {**fx.ROWS["insurance_policies"][0], "policy_id": "INX", "insured_amount": top, "premium": top}
    report = import_files(con, [("loans.csv", csv_bytes("loans", [big])),
                                ("interest_payments.csv", csv_bytes("interest_payments", payments)),
                                ("guarantees.csv", csv_bytes("guarantees", [guarantee])),
                                ("insurance_policies.csv", csv_bytes("insurance_policies", [policy]))])
    assert report.ok, report.to_text()
    detail = subsidy.payment_detail(con, 2025, scope=REGULATOR, policy=POLICY)
    mine = detail[detail["payment_id"].str.startswith("IPX")]
    # R2: a bank loan gets min(½, 2 points / 24 %) = 1/12 of the interest, to the fen (uncapped)
    expected = (Decimal(top) / 12).quantize(Decimal("0.01"))
    assert len(mine) == 50 and set(mine["uncapped"]) == {expected}
    table = subsidy.subsidy_table(con, 2025, scope=REGULATOR, policy=POLICY)
    assert len(table) > 0
    totals = subsidy.totals_by_institution(con, 2025, scope=REGULATOR, policy=POLICY)
    assert len(totals) > 0
    queue = subsidy.payment_queue(con, 2025, scope=REGULATOR, policy=POLICY)
    assert len(queue) > 0


def test_the_largest_accepted_rows_do_not_overflow_the_evaluation_nor_the_pages(con):
    """The same extremes (an amount at its bound, rate and LPR at theirs) through everything a page or the annual
    job computes of the year: P1's amount-weighted discount overflowed DECIMAL(18) in the evaluation, the races, the
    year-end projection and the 今日提醒 lists, so every one of those pages failed on data the import accepts."""
    from datetime import date

    from scoring import budget, dashboard, digest, disbursement, evaluation, forecast, quality, race
    from scoring.method import load_method

    top = "9999999999999.99"
    big = loan(amount=top, land_amount="0", rate="0.24", lpr="0.000001", credit_line=top, signed_on="2025-01-02",
               disbursed_on="2025-01-02", maturity_on="2035-01-02")
    payments = [{"payment_id": f"IPY{i}", "loan_id": "LN9", "period_start": "2025-01-02", "period_end": "2025-06-20",
                 "paid_on": "2025-06-21", "interest_paid": top} for i in range(3)]
    report = import_files(con, [("loans.csv", csv_bytes("loans", [big])),
                                ("interest_payments.csv", csv_bytes("interest_payments", payments))])
    assert report.ok, report.to_text()
    method = load_method()
    result = evaluation.evaluate(con, 2025, method=method, policy=POLICY)
    assert len(result.institutions) > 0
    assert len(race.monthly_scores(con, 2025, method=method, policy=POLICY, scope=REGULATOR)) > 0
    assert len(race.monthly_district_ranks(con, 2025, method=method, policy=POLICY)) > 0
    assert dashboard.totals(con, 2025, REGULATOR)["amount"] >= Decimal(top)
    assert len(quality.findings(con, 2025, REGULATOR)) > 0
    assert budget.summary(con, 2025, budget.Variant(POLICY)).totals
    assert len(disbursement.overview(con, 2025, scope=REGULATOR, policy=POLICY).kinds) > 0
    assert len(forecast.view(con, 2025, date(2025, 6, 30), scope=REGULATOR, method=method, policy=POLICY,
                             draws=5).institutions) > 0
    assert digest.panel(con, date(2025, 12, 31), REGULATOR).headline


# --- 4. files that were refused wrongly, or with a raw error --------------------------------------

def test_a_csv_with_cr_only_line_breaks_is_read(con):
    content = csv_bytes("flags", [dict(fx.ROWS["flags"][0], flag_id=f"F{i}") for i in (7, 8)]).replace(b"\n", b"\r")
    report = import_files(con, [("flags.csv", content)])
    assert report.ok, report.to_text()
    assert report.files[0].inserted == 2


def test_a_ragged_cr_only_csv_lists_its_rows_in_chinese(con):
    content = b"flag_id,inst_id,year,kind\rF7,B1,2025\rF8,B1,2025,violation\r"
    errors = refused(con, [("flags.csv", content)])
    assert [(e.row, e.message[:9]) for e in errors] == [(2, "该行有 3 个字段")]


def test_excel_float_noise_on_a_rate_is_accepted_as_the_six_decimal_value(con, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "loans"
    names = ["loan_id", "inst_id", "ent_id", "project_id", "kind", "amount", "rate", "lpr", "signed_on"]
    sheet.append(names)
    sheet.append(["LN9", "B1", fx.E1, "P1", "loan", 1234567.8900000001, 0.038500000000000006, 0.0345, "2025-05-06"])
    path = tmp_path / "loans.xlsx"
    book.save(path)
    report = import_files(con, [path])
    assert report.ok, report.to_text()
    assert con.execute("select amount, rate from loans where loan_id = 'LN9'").fetchone() == (
        Decimal("1234567.89"), Decimal("0.0385"))


@pytest.mark.parametrize("rate, accepted", [("0.038500000000000006", True), ("0.0385000001", False), ("0.0310001", False)])
def test_float_noise_in_csv_text_follows_the_same_rule(con, rate, accepted):
    report = import_files(con, [("loans.csv", csv_bytes("loans", [loan(rate=rate)]))])
    assert report.ok is accepted, report.to_text()
    if accepted:
        assert con.execute("select rate from loans where loan_id = 'LN9'").fetchone() == (Decimal("0.0385"),)
    else:
        assert "最多保留6位小数" in report.errors[0].message


def test_anothers_key_is_refused_without_confirming_that_it_exists(con):
    taken = {**fx.ROWS["loans"][0], "inst_id": "B2", "app_id": "", "product_id": ""}  # LN1 is B1's
    unknown_but_foreign = loan(loan_id="LN404", inst_id="B1")  # a new key of another bank
    errors = refused(con, [("loans.csv", csv_bytes("loans", [taken, unknown_but_foreign]))], inst_id="B2")
    taken_error = next(e for e in errors if e.value == "LN1")
    assert taken_error.message == "编号“LN1”不能使用，请换用其他编号"
    assert "其他机构" not in taken_error.message and "已" not in taken_error.message


def test_a_damaged_workbook_gets_a_chinese_message_only(con):
    errors = refused(con, [("loans.xlsx", b"PK\x03\x04 not really a zip")])
    assert len(errors) == 1 and "文件已损坏" in errors[0].message


# --- helpers ------------------------------------------------------------------------------

def _rewrite_part(data: bytes, name: str, change) -> bytes:
    """The workbook with one part's XML changed (sizes and checksums rewritten properly)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


@pytest.mark.parametrize("table, changes, column", [
    ("applications", {"app_id": "A9", "registered_on": "2003-12-31", "connected_on": "", "decision": "",
                      "decided_on": "", "disbursed_on": ""}, "registered_on"),
    ("holidays", {"day": "2031-01-01"}, "day"),
])
def test_dates_judged_on_the_working_day_calendar_must_lie_within_it(con, table, changes, column):
    """An application's stages are counted in working days (R9–R11): outside the calendar
    (2004–2030) they could not be judged, and a holiday there would be dropped silently."""
    from scoring import calendar

    row = {**fx.ROWS[table][0], **changes}
    errors = refused(con, [(f"{table}.csv", csv_bytes(table, [row]))])
    assert [e.column for e in errors] == [column]
    assert f"{calendar.FIRST_DAY} 至 {calendar.LAST_DAY}" in errors[0].message
