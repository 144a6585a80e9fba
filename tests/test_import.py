"""The validated import (DATA.md "What bad input gets"): every class of bad input is
rejected with every error listed (file, row as Excel numbers it, column, value, Chinese
message) and the database left exactly as it was; good input is written idempotently,
replacements are audited, and institution users only load their own rows.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal

import duckdb
import pytest

import import_fixture as fx
from import_fixture import base_file, copied_con  # noqa: F401  (fixtures)
from scoring import bootstrap, db, importer
from scoring.importer import import_files, table_for

CHINESE = re.compile(r"[\u4e00-\u9fff]")
DATA_ROW = 3  # header is row 1, the template's label row 2, the first data row 3


def new_row(table: str, key_suffix: str = "", **changes) -> dict[str, str]:
    """The first fixture row of `table` under a new key (`key_suffix` tells several new rows of a file
    apart; not for credit codes), with `changes` applied."""
    row = dict(fx.ROWS[table][0])
    key = importer.contract.TABLES[table].key[0]
    if key != "ent_id":
        row[key] = {"year": "2026"}.get(key, row[key] + "9" + key_suffix)
    else:
        row[key] = fx.credit_code("91500101MA5U0A0B9")
    row.update(changes)
    return row


def rejected(con, paths, **kwargs):
    """Import `paths`, expecting rejection with the database untouched; returns the errors."""
    before = fx.fingerprint(con)
    report = import_files(con, paths, **kwargs)
    assert not report.ok
    assert fx.fingerprint(con) == before, "a rejected import changed the database"
    assert all(CHINESE.search(e.message) for e in report.errors)
    assert "导入被拒绝" in report.to_text()
    return report.errors


# --- every class of error in DATA.md, one at a time ---------------------------------------

BAD_CELLS = [
    # (table, changes, column, value shown, message fragment)
    ("loans", {"amount": ""}, "amount", None, "合同金额为必填项"),
    ("loans", {"signed_on": "2025/03/12"}, "signed_on", "2025/03/12", "YYYY-MM-DD"),
    ("loans", {"signed_on": "2025-02-29"}, "signed_on", "2025-02-29", "真实日期"),  # 2025 is not a leap year
    ("loans", {"amount": "10,000,000"}, "amount", "10,000,000", "不带千分位逗号"),
    ("loans", {"amount": "100.005"}, "amount", "100.005", "最多保留两位小数"),
    ("loans", {"amount": "-1"}, "amount", "-1", "金额不能为负数"),
    ("interest_payments", {"interest_paid": "-0.01"}, "interest_paid", "-0.01", "金额不能为负数"),
    ("loans", {"amount": "0"}, "amount", "0", "必须大于 0"),
    ("loans", {"rate": "3.1%"}, "rate", "3.1%", "不带百分号"),
    ("loans", {"rate": "0.25"}, "rate", "0.25", "0 到 0.24"),
    ("loans", {"rate": "3.1"}, "rate", "3.1", "疑似按百分数填写"),
    ("guarantees", {"fee_rate": "-0.001"}, "fee_rate", "-0.001", "0 到 0.24"),
    ("loans", {"rate": "0.0310001"}, "rate", "0.0310001", "最多保留6位小数"),
    ("institutions", {"local_legal_person": "maybe"}, "local_legal_person", "maybe", "是/否"),
    ("cases", {"year": "二〇二五"}, "year", "二〇二五", "四位数年份"),
    ("cases", {"year": "1999"}, "year", "1999", "2000–2100"),
    ("loans", {"kind": "贷款"}, "kind", "贷款", "应为：loan、lease_direct、lease_direct_back"),
    ("enterprises", {"tags": "unicorn;dragon"}, "tags", "unicorn;dragon", "“dragon”不是允许的取值"),
    ("enterprises", {"ent_id": fx.E1[:17] + ("0" if fx.E1[17] != "0" else "1")}, "ent_id", None, "校验位错误"),
    ("enterprises", {"ent_id": "915001"}, "ent_id", "915001", "应为18位"),
    ("loans", {"inst_id": "B404"}, "inst_id", "B404", "“金融机构”中没有编号为“B404”的记录"),
    ("loans", {"project_id": "P404"}, "project_id", "P404", "“技改项目”中没有编号为“P404”的记录"),
    ("projects", {"district_code": "500999"}, "district_code", "500999", "“区县”中没有编号"),
    ("guarantees", {"guarantor_id": "B1"}, "guarantor_id", "B1", "此处须为 guarantee 类机构"),
    ("insurance_policies", {"insurer_id": "G1"}, "insurer_id", "G1", "此处须为 insurer 类机构"),
    ("loans", {"inst_id": "G1"}, "inst_id", "G1", "此处须为 bank 或 leasing 类机构"),
    ("loans", {"disbursed_on": "2025-03-11"}, "disbursed_on", "2025-03-11", "放款日期早于签约日期（signed_on 为 2025-03-12）"),
    ("loans", {"maturity_on": "2025-03-12"}, "maturity_on", "2025-03-12", "到期日期应晚于签约日期"),
    ("applications", {"connected_on": "2025-03-02"}, "connected_on", "2025-03-02", "对接日期早于登记日期"),
    ("interest_payments", {"period_end": "2025-03-13"}, "period_end", "2025-03-13", "计息期结束早于开始"),
    ("loans", {"land_amount": "10000000.01"}, "land_amount", "10000000.01", "用于土地的金额超过合同金额"),
    ("projects", {"land_cost": "30000000"}, "land_cost", "30000000", "土地费用超过项目总投资"),
]


@pytest.fixture(scope="module")
def bad_cell_files(base_file, tmp_path_factory):
    """The cases of BAD_CELLS of each table as the rows of one file of that table (each row under its own
    key), each file imported once, rejected, into a copy of the base database: {case: (row, row number,
    the errors on that row)}. One import per table instead of one per case; every error must sit on a
    case's row, and each case's row is checked on its own by the test below."""
    directory = tmp_path_factory.mktemp("bad-cells")
    shutil.copy(base_file, directory / "db.duckdb")
    con = bootstrap.connect(directory / "db.duckdb", demo_if_missing=False)
    cases = {}
    for table in dict.fromkeys(t for t, *_ in BAD_CELLS):
        numbered = [(n, case) for n, case in enumerate(BAD_CELLS) if case[0] == table]
        rows = [new_row(table, str(i), **changes) for i, (_, (_, changes, *_)) in enumerate(numbered)]
        errors = rejected(con, [fx.write_csv(directory / f"{table}.csv", table, rows)])
        assert {e.row for e in errors} <= {DATA_ROW + i for i in range(len(rows))}, errors
        for i, (n, _) in enumerate(numbered):
            cases[n] = rows[i], DATA_ROW + i, [e for e in errors if e.row == DATA_ROW + i]
    con.close()
    return cases


@pytest.mark.parametrize("table, changes, column, value, fragment", BAD_CELLS,
                         ids=[f"{t}.{c}-{f}" for t, _, c, _, f in BAD_CELLS])
def test_each_bad_cell_rejects_the_file_with_its_place(bad_cell_files, table, changes, column, value, fragment):
    row, row_no, errors = bad_cell_files[BAD_CELLS.index((table, changes, column, value, fragment))]
    assert [(e.file, e.row, e.column) for e in errors] == [(f"{table}.csv", row_no, column)]
    assert fragment in errors[0].message
    assert errors[0].value == (row[column] if value is None and row[column] else value)


def test_unknown_and_missing_columns_are_reported_on_the_header_row(con, tmp_path):
    rows = [{**new_row("loans"), "colour": "红"}]
    columns = [c for c in rows[0] if c != "rate"]  # rate is required
    errors = rejected(con, [fx.write_csv(tmp_path / "loans.csv", "loans", rows, columns=columns)])
    assert {(e.row, e.column) for e in errors} == {(1, "colour"), (1, "rate")}
    assert any("未知列“colour”" in e.message for e in errors)
    assert any("缺少必填列“rate”" in e.message for e in errors)


def test_repeated_and_unnamed_columns_are_reported(con, tmp_path):
    path = tmp_path / "flags.csv"
    path.write_text("flag_id,inst_id,year,kind,kind,\nF9,B1,2025,violation,violation,x\n", encoding="utf-8")
    errors = rejected(con, [path])
    messages = {e.column: e.message for e in errors if e.row == 1}
    assert len(errors) == 2 and "重复出现" in messages["kind"] and "没有列名" in messages["第6列"]


def test_a_duplicate_key_inside_a_file_names_the_first_row(con, tmp_path):
    rows = [new_row("loans"), new_row("loans", amount="5")]
    errors = rejected(con, [fx.write_csv(tmp_path / "loans.csv", "loans", rows)])
    assert [(e.row, e.column, e.value) for e in errors] == [(DATA_ROW + 1, "loan_id", "LN19")]
    assert "与本文件第 3 行相同" in errors[0].message


def test_a_duplicate_key_across_files_of_one_call_names_the_other_file(con, tmp_path):
    a = fx.write_csv(tmp_path / "loans_a.csv", "loans", [new_row("loans")])
    b = fx.write_csv(tmp_path / "loans_b.csv", "loans", [new_row("loans")])
    errors = rejected(con, [a, b])
    assert [(e.file, e.row) for e in errors] == [("loans_b.csv", DATA_ROW)]
    assert "与文件 loans_a.csv 第 3 行相同" in errors[0].message


def test_a_duplicate_composite_key_names_both_columns(con, tmp_path):
    rows = [new_row("cooperation"), new_row("cooperation", source="evaluation")]
    errors = rejected(con, [fx.write_csv(tmp_path / "cooperation.csv", "cooperation", rows)])
    assert [(e.row, e.column, e.value) for e in errors] == [(DATA_ROW + 1, "year,inst_id", "2026|B1")]


def test_a_file_with_several_errors_lists_them_all(con, tmp_path):
    rows = [
        new_row("loans", loan_id="LN91", amount="-5", rate="5%"),
        new_row("loans", loan_id="LN92"),
        new_row("loans", loan_id="LN93", inst_id="B404", signed_on="2025-13-01"),
        new_row("loans", loan_id="LN91", kind="lease"),
    ]
    errors = rejected(con, [fx.write_csv(tmp_path / "loans.csv", "loans", rows)])
    assert [(e.row, e.column) for e in errors] == [
        (3, "amount"), (3, "rate"), (5, "inst_id"), (5, "signed_on"), (6, "loan_id"), (6, "kind"),
    ]
    assert len(importer.ImportReport(errors).to_text().splitlines()) == 1 + len(errors)


def test_one_bad_file_rejects_every_file_of_the_call(con, tmp_path):
    good = fx.write_csv(tmp_path / "institutions.csv", "institutions", [new_row("institutions")])
    bad = fx.write_csv(tmp_path / "loans.csv", "loans", [new_row("loans", amount="abc")])
    errors = rejected(con, [good, bad])
    assert [e.file for e in errors] == ["loans.csv"]
    assert con.execute("select count(*) from institutions where inst_id = 'B19'").fetchone() == (0,)


@pytest.mark.parametrize("name, content, fragment", [
    ("kredit.csv", b"a,b\n1,2\n", "文件名不对应任何数据表"),
    ("loans.xls", b"whatever", "只支持 .csv"),
    ("flags.csv", "flag_id,inst_id,year,kind\nF9,B1,2025,violation,多余\n".encode("gbk"), "不是 UTF-8 编码"),
    ("flags.csv", b"", "没有表头"),
])
def test_unreadable_files_are_rejected_whole(con, tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    errors = rejected(con, [path])
    assert len(errors) == 1 and errors[0].row in (None, 1) and fragment in errors[0].message


@pytest.mark.parametrize("content", [b"flag_id,inst_id,year,kind,note", b"flag_id,inst_id,year,kind,note\r\n",
                                     b"flag_id,inst_id,year,kind,note\n,,,,\n"])
def test_a_file_without_data_rows_imports_nothing(con, content):
    before = fx.fingerprint(con)
    report = import_files(con, [("flags.csv", content)])
    assert report.ok and report.files == []
    assert fx.fingerprint(con) == before


def test_a_missing_file_is_reported(con, tmp_path):
    errors = rejected(con, [tmp_path / "loans.csv"])
    assert "文件不存在" in errors[0].message


def test_rows_with_the_wrong_number_of_fields_are_listed(con, tmp_path):
    path = tmp_path / "flags.csv"
    path.write_text("flag_id,inst_id,year,kind,note\nF8,B1,2025,violation,a\n\nF9,B1,2025,violation,b,c\n"
                    "F10,B1\n", encoding="utf-8")
    errors = rejected(con, [path])
    assert [(e.row, e.message[:9]) for e in errors] == [(4, "该行有 6 个字段"), (5, "该行有 2 个字段")]


# --- reading: names, BOM, label rows, blank rows, Excel cells ------------------------------

@pytest.mark.parametrize("name, table", [
    ("loans", "loans"), ("loans_2025", "loans"), ("Loans-Q1", "loans"), ("interest_payments_06", "interest_payments"),
    ("loansheet", None), ("my_loans", None), ("说明", None),
])
def test_file_and_sheet_names_map_to_tables(name, table):
    assert table_for(name) == table


def test_row_numbers_count_blank_lines_and_skip_empty_rows(con, tmp_path):
    path = tmp_path / "flags.csv"
    path.write_text("flag_id,inst_id,year,kind,note\n\nF8, B1 ,2025,violation,\n,,,,\nF9,B1,2025,worse,\n",
                    encoding="utf-8")  # no BOM, no label row; row 2 blank, row 4 empty cells
    errors = rejected(con, [path])
    assert [(e.row, e.column, e.value) for e in errors] == [(5, "kind", "worse")]


def test_csv_with_and_without_bom_and_label_row_import_alike(con, tmp_path):
    rows = [new_row("flags", note="含逗号, “引号” 和\n换行")]
    plain = fx.write_csv(tmp_path / "flags.csv", "flags", rows, labels=False)
    plain.write_bytes(plain.read_bytes().removeprefix("\ufeff".encode()))
    report = import_files(con, [plain])
    assert report.ok and report.files[0].inserted == 1
    again = import_files(con, [fx.write_csv(tmp_path / "flags_again.csv", "flags", rows)])
    assert again.ok and again.files[0].unchanged == 1
    assert con.execute("select note from flags where flag_id = 'F19'").fetchone() == (rows[0]["note"],)


def test_excel_cells_typed_as_numbers_dates_and_booleans_import_as_their_text(con, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"  # a lone sheet takes its table from the file name
    sheet.append(["loan_id", "inst_id", "ent_id", "project_id", "kind", "amount", "rate", "lpr", "signed_on",
                  "credit_line"])
    sheet.append([None] * 10)  # an empty row is ignored but still counted
    sheet.append(["LN77", "B1", fx.E1, "P1", "loan", 1234567.89, 0.0345, 0.0345, date(2025, 5, 6), 5e7])
    path = tmp_path / "loans_2025.xlsx"
    book.save(path)
    report = import_files(con, [path])
    assert report.ok, report.to_text()
    assert report.files[0].file == "loans_2025.xlsx[Sheet1]"
    row = con.execute("select amount, rate, signed_on, credit_line, relending from loans where loan_id = 'LN77'").fetchone()
    assert row == (Decimal("1234567.89"), Decimal("0.0345"), date(2025, 5, 6), Decimal("50000000"), "none")


def test_an_excel_error_names_the_sheet_and_excel_row(con, tmp_path):
    path = fx.write_xlsx(tmp_path / "book.xlsx", {"flags": [new_row("flags"), new_row("flags", flag_id="F8", year="20")]})
    errors = rejected(con, [path])
    assert [(e.file, e.row, e.column) for e in errors] == [("book.xlsx[flags]", 3, "year")]


def test_an_unknown_sheet_with_data_is_an_error(con, tmp_path):
    import openpyxl

    path = fx.write_xlsx(tmp_path / "book.xlsx", {"flags": [new_row("flags")]})
    book = openpyxl.load_workbook(path)
    book.create_sheet("备注").append(["随手记的内容"])
    book.save(path)
    errors = rejected(con, [path])
    assert errors[0].file == "book.xlsx[备注]" and "工作表名不对应任何数据表" in errors[0].message


def test_an_upload_given_as_name_and_bytes_is_recorded_with_its_sha256(con, tmp_path):
    content = fx.write_csv(tmp_path / "x.csv", "flags", [new_row("flags")]).read_bytes()
    report = import_files(con, [("flags_upload.csv", content)], user="银行甲")
    assert report.ok
    recorded = con.execute("select file_name, table_name, sha256, rows_total, rows_inserted, imported_by "
                           "from import_files order by file_id desc limit 1").fetchone()
    assert recorded == ("flags_upload.csv", "flags", hashlib.sha256(content).hexdigest(), 1, 1, "银行甲")


# --- writing: together, in order, idempotent, audited ----------------------------------------

def test_files_of_one_call_may_refer_to_each_other_in_any_order(con, tmp_path):
    inst = new_row("institutions")  # B19, a bank
    loan = new_row("loans", inst_id=inst["inst_id"])
    payment = new_row("interest_payments", loan_id=loan["loan_id"])
    paths = [fx.write_csv(tmp_path / "interest_payments.csv", "interest_payments", [payment]),
             fx.write_csv(tmp_path / "loans.csv", "loans", [loan]),
             fx.write_csv(tmp_path / "institutions.csv", "institutions", [inst])]
    report = import_files(con, paths)
    assert report.ok, report.to_text()
    assert [f.table for f in report.files] == ["institutions", "loans", "interest_payments"]  # contract.ORDER
    assert con.execute("select inst_id from loans where loan_id = 'LN19'").fetchone() == ("B19",)


def test_importing_the_same_files_twice_changes_nothing(con, tmp_path):
    before = fx.reported(con)
    paths = fx.write_all(tmp_path / "again")
    report = import_files(con, paths)
    assert report.ok
    assert all(f.inserted == f.replaced == 0 and f.unchanged == f.rows for f in report.files)
    assert fx.reported(con) == before
    assert con.execute("select count(*) from audit_log").fetchone() == (0,)


def test_a_changed_row_is_replaced_and_audited(con, tmp_path):
    loans = [dict(r) for r in fx.ROWS["loans"]]
    loans[0]["amount"] = "12000000"  # LN1 was 10,000,000
    report = import_files(con, [fx.write_csv(tmp_path / "loans.csv", "loans", loans)], user="张三")
    assert report.ok
    assert (report.files[0].replaced, report.files[0].unchanged, report.files[0].inserted) == (1, 1, 0)
    assert con.execute("select amount from loans where loan_id = 'LN1'").fetchone() == (Decimal("12000000.00"),)
    file_id, = con.execute("select max(file_id) from import_files").fetchone()
    audit = con.execute("select file_id, table_name, row_key, changed_by, old_row, new_row from audit_log").fetchall()
    assert len(audit) == 1
    got_file, table, key, who, old, new = audit[0]
    assert (got_file, table, key, who) == (file_id, "loans", "LN1", "张三")
    assert Decimal(str(json.loads(old)["amount"])) == Decimal("10000000")
    assert Decimal(str(json.loads(new)["amount"])) == Decimal("12000000")


def test_a_replacement_is_of_the_whole_row(con, tmp_path):
    row = {k: v for k, v in fx.ROWS["loans"][0].items() if k not in ("credit_line", "relending")}
    report = import_files(con, [fx.write_csv(tmp_path / "loans.csv", "loans", [row])])
    assert report.ok and report.files[0].replaced == 1
    assert con.execute("select credit_line, relending from loans where loan_id = 'LN1'").fetchone() == (None, "none")


def test_a_failure_while_writing_undoes_every_file(con, tmp_path, monkeypatch):
    calls = []
    write = importer._write_part

    def failing_second(cur, part, user, at):
        calls.append(part.table)
        if len(calls) == 2:
            raise duckdb.ConstraintException("simulated failure")
        return write(cur, part, user, at)

    monkeypatch.setattr(importer, "_write_part", failing_second)
    paths = [fx.write_csv(tmp_path / "institutions.csv", "institutions", [new_row("institutions")]),
             fx.write_csv(tmp_path / "flags.csv", "flags", [new_row("flags")])]
    errors = rejected(con, paths)
    assert calls == ["institutions", "flags"] and "已全部撤销" in errors[0].message


def test_holidays_rebuild_the_calendar(con, tmp_path):
    rows = [{"day": "2027-10-09", "working": "是", "note": "国庆节调休上班"}]  # a Saturday
    assert import_files(con, [fx.write_csv(tmp_path / "holidays.csv", "holidays", rows)]).ok
    assert con.execute("select working, makeup, source from calendar where day = '2027-10-09'").fetchone() == (
        True, True, "holidays")


def test_data_version_moves_only_when_data_changes(con, tmp_path):
    path = fx.write_csv(tmp_path / "flags.csv", "flags", [new_row("flags")])
    first = db.data_version(con)
    assert import_files(con, [path]).ok
    second = db.data_version(con)
    assert import_files(con, [path]).ok
    assert first != second == db.data_version(con)


def test_to_frame_has_chinese_headers(con, tmp_path):
    path = fx.write_csv(tmp_path / "loans.csv", "loans", [new_row("loans", rate="x")])
    frame = import_files(con, [path]).to_frame()
    assert list(frame.columns) == ["文件", "行", "列", "值", "问题"]
    assert frame.iloc[0].tolist()[:4] == ["loans.csv", DATA_ROW, "rate", "x"]


# --- institution users: only their own rows ----------------------------------------------------

def test_a_bank_imports_its_own_loans_and_payments(con, tmp_path):
    loan = new_row("loans")  # LN19 of B1
    paths = [fx.write_csv(tmp_path / "loans.csv", "loans", [loan]),
             fx.write_csv(tmp_path / "interest_payments.csv", "interest_payments",
                          [new_row("interest_payments", loan_id="LN19")])]
    assert import_files(con, paths, user="b1", inst_id="B1").ok


@pytest.mark.parametrize("table, changes, column, fragment", [
    ("loans", {"inst_id": "B2"}, "inst_id", "不属于机构“B1”"),
    ("interest_payments", {"loan_id": "LN2"}, "loan_id", "不属于机构“B1”"),  # LN2 is L1's lease
    ("products", {"inst_id": "L1"}, "inst_id", "不属于机构“B1”"),
    ("guarantees", {"loan_id": "LN2"}, "loan_id", "不属于机构“B1”"),
])
def test_a_bank_cannot_import_rows_of_another_institution(con, tmp_path, table, changes, column, fragment):
    path = fx.write_csv(tmp_path / f"{table}.csv", table, [new_row(table, **changes)])
    errors = rejected(con, [path], inst_id="B1")
    assert [(e.row, e.column) for e in errors] == [(DATA_ROW, column)] and fragment in errors[0].message


def test_a_bank_cannot_take_over_a_row_stored_for_another(con, tmp_path):
    hijack = {**fx.ROWS["loans"][0], "inst_id": "B2", "app_id": "", "product_id": ""}  # LN1 belongs to B1
    errors = rejected(con, [fx.write_csv(tmp_path / "loans.csv", "loans", [hijack])], inst_id="B2")
    assert [(e.row, e.column, e.value) for e in errors] == [(DATA_ROW, "loan_id", "LN1")]
    # the refusal must not confirm that the key exists, nor whose it is (issue 8)
    assert errors[0].message == "编号“LN1”不能使用，请换用其他编号"


def test_a_guarantee_firm_reports_its_own_guarantees(con, tmp_path):
    row = new_row("guarantees", loan_id="LN2")  # L1's lease, guaranteed by G1
    assert import_files(con, [fx.write_csv(tmp_path / "guarantees.csv", "guarantees", [row])], inst_id="G1").ok


@pytest.mark.parametrize("table", importer.REGULATOR_ONLY)
def test_regulator_tables_are_refused_to_institutions(con, tmp_path, table):
    path = fx.write_csv(tmp_path / f"{table}.csv", table, fx.ROWS[table])
    errors = rejected(con, [path], inst_id="B1")
    assert len(errors) == 1 and errors[0].row is None and "只能由监管部门导入" in errors[0].message


def test_a_full_workbook_with_only_own_rows_filled_is_accepted(con, tmp_path):
    from scoring.templates import write_workbook
    import openpyxl

    path = write_workbook(tmp_path / "templates.xlsx")
    book = openpyxl.load_workbook(path)
    loan = new_row("loans")
    book["loans"].append([loan.get(n) or None for n in importer.contract.TABLES["loans"].names])
    book.save(path)
    report = import_files(con, [path], inst_id="B1")
    assert report.ok, report.to_text()
    assert [(f.table, f.inserted) for f in report.files] == [("loans", 1)]


# --- the command line -------------------------------------------------------------------------

@pytest.mark.slow  # end to end: the command line in a subprocess
def test_the_command_line_exits_1_on_a_bad_file_and_0_on_a_good_one(base_file, tmp_path):
    path = tmp_path / "cli.duckdb"
    shutil.copy(base_file, path)
    (tmp_path / "bad").mkdir()
    bad = fx.write_csv(tmp_path / "bad" / "loans.csv", "loans", [new_row("loans", amount="-1")])
    good = fx.write_csv(tmp_path / "loans.csv", "loans", [new_row("loans")])

    def run(file):
        return subprocess.run([sys.executable, "-m", "scoring", "import", "--db", str(path), str(file)],
                              capture_output=True, text=True, cwd=db.ROOT, timeout=120)

    failed = run(bad)
    assert failed.returncode == 1 and "导入被拒绝" in failed.stdout and "金额不能为负数" in failed.stdout
    passed = run(good)
    assert passed.returncode == 0 and "导入成功" in passed.stdout, passed.stdout + passed.stderr


def test_the_known_keys_query_covers_every_reference_of_the_contract():
    refs = {c.ref for t in importer.contract.TABLES.values() for c in t.columns if c.ref}
    listed = set(re.findall(r"'(\w+)'(?: as tbl)?, (\w+)(?: as value)? from (\w+)", db.sql("import/known_keys")))
    assert {f"{table}.{column}" for _, column, table in listed} == refs
    assert all(label == table for label, _, table in listed)
