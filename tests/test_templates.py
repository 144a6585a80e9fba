"""The import templates (data/templates/): generated from the contract, committed as
generated, and importable once filled in, as CSV and as XLSX alike (DATA.md)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

import import_fixture as fx
from scoring import bootstrap, contract
from scoring.importer import import_files
from scoring.templates import TEMPLATES, WORKBOOK, describe, generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    directory = tmp_path_factory.mktemp("templates")
    generate(directory)
    return directory


def test_committed_templates_are_what_the_generator_makes(generated):
    expected = sorted(p.name for p in generated.iterdir())
    assert sorted(p.name for p in TEMPLATES.iterdir()) == expected == sorted(
        [f"{t}.csv" for t in contract.ORDER] + [WORKBOOK])
    for name in expected:
        assert (TEMPLATES / name).read_bytes() == (generated / name).read_bytes(), (
            f"data/templates/{name} is stale: run python -m scoring.templates")


@pytest.mark.parametrize("table", contract.ORDER)
def test_csv_template_has_names_and_a_skippable_label_row(table):
    text = (TEMPLATES / f"{table}.csv").read_bytes().decode("utf-8-sig")
    names, labels = list(csv.reader(io.StringIO(text)))
    assert tuple(names) == contract.TABLES[table].names
    assert labels[0].startswith("#") and len(labels) == len(names)
    assert all(contract.TABLES[table].column(n).label in label for n, label in zip(names, labels))


def test_workbook_has_a_sheet_per_table_in_import_order():
    book = openpyxl.load_workbook(TEMPLATES / WORKBOOK)
    assert book.sheetnames == list(contract.ORDER)
    for table in contract.ORDER:
        rows = list(book[table].iter_rows(values_only=True))
        assert tuple(rows[0]) == contract.TABLES[table].names and rows[1][0].startswith("#")


def test_descriptions_say_what_is_required_and_how_to_write_it():
    loans = contract.TABLES["loans"]
    assert describe(loans.column("signed_on")) == "签约日期（必填，格式 YYYY-MM-DD）"
    assert describe(loans.column("land_amount")) == "其中用于土地的金额（元）（不填视为 0）"
    assert describe(loans.column("app_id")) == "申请编号"


def filled_csv_templates(directory):
    """Every CSV template with the fixture rows typed under its two header rows."""
    directory.mkdir()
    paths = []
    for table in contract.ORDER:
        out = io.StringIO()
        csv.writer(out).writerows([[row.get(c, "") for c in contract.TABLES[table].names] for row in fx.ROWS[table]])
        path = directory / f"{table}.csv"
        path.write_bytes((TEMPLATES / f"{table}.csv").read_bytes() + out.getvalue().encode("utf-8"))
        paths.append(path)
    return paths


def filled_workbook(path):
    book = openpyxl.load_workbook(TEMPLATES / WORKBOOK)
    for table in contract.ORDER:
        for row in fx.ROWS[table]:
            book[table].append([row.get(c) or None for c in contract.TABLES[table].names])
    book.save(path)
    return path


@pytest.mark.slow  # end to end: every table imported twice, through CSV and through a workbook
def test_filled_templates_import_the_same_through_csv_and_xlsx(tmp_path):
    by_csv = bootstrap.connect(tmp_path / "csv.duckdb", demo_if_missing=False)
    by_xlsx = bootstrap.connect(tmp_path / "xlsx.duckdb", demo_if_missing=False)
    csv_report = import_files(by_csv, filled_csv_templates(tmp_path / "csv"))
    xlsx_report = import_files(by_xlsx, [filled_workbook(tmp_path / "filled.xlsx")])
    assert csv_report.ok, csv_report.to_text()
    assert xlsx_report.ok, xlsx_report.to_text()
    for report in (csv_report, xlsx_report):
        assert {f.table: f.rows for f in report.files} == {t: len(rows) for t, rows in fx.ROWS.items()}
        assert all(f.inserted == f.rows for f in report.files if f.table != "districts")  # districts ship with the db
    assert fx.reported(by_csv) == fx.reported(by_xlsx)
    by_csv.close()
    by_xlsx.close()


def test_empty_templates_import_nothing(empty_con):
    before = fx.fingerprint(empty_con)
    report = import_files(empty_con, [TEMPLATES / WORKBOOK, *(TEMPLATES / f"{t}.csv" for t in contract.ORDER)])
    assert report.ok and report.files == [] and report.to_text() == "没有可导入的数据行。"
    assert fx.fingerprint(empty_con) == before
