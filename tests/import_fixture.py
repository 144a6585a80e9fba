"""Valid reported rows for every table (as the text a user types), and file helpers.

The rows hang together: two banks, a leasing company, a guarantee firm and an insurer;
two enterprises with valid credit codes in 万州区 and 渝中区, their projects, loans,
payments, a guarantee, policies, products, a case, 2027 holidays, the 2025 cooperation
list and a flag. Text cells carry commas, quotes and Chinese on purpose.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from scoring import bootstrap, contract
from scoring.creditcode import check_character
from scoring.templates import header_rows


def credit_code(prefix17: str) -> str:
    return prefix17 + check_character(prefix17)


E1 = credit_code("91500101MA5U0A0B1")
E2 = credit_code("91500103MA61XY2C3")

ROWS: dict[str, list[dict[str, str]]] = {
    "institutions": [
        {"inst_id": "B1", "name": "甲银行重庆分行", "kind": "bank", "local_legal_person": "false", "paid_in_capital": ""},
        {"inst_id": "B2", "name": "乙农村商业银行", "kind": "bank", "local_legal_person": "是", "paid_in_capital": "5000000000"},
        {"inst_id": "L1", "name": "渝甲金融租赁", "kind": "leasing", "local_legal_person": "1", "paid_in_capital": "500000000.00"},
        {"inst_id": "G1", "name": "重庆丙融资担保", "kind": "guarantee", "local_legal_person": "否", "paid_in_capital": ""},
        {"inst_id": "I1", "name": "丁财产保险重庆分公司", "kind": "insurer", "local_legal_person": "", "paid_in_capital": ""},
    ],
    "districts": [  # identical to the shipped reference rows: re-importing them changes nothing
        {"district_code": "500101", "name": "万州区", "category": "区"},
        {"district_code": "500103", "name": "渝中区", "category": "区"},
    ],
    "enterprises": [
        {"ent_id": E1, "name": "重庆甲机械有限公司", "district_code": "500101", "size": "small",
         "ownership": "private", "manufacturing": "true", "agricultural": "false", "tags": "specialized;little_giant"},
        {"ent_id": E2, "name": "重庆乙科技，“智造”股份有限公司", "district_code": "500103", "size": "medium",
         "ownership": "state", "manufacturing": "是", "agricultural": "", "tags": ""},
    ],
    "projects": [
        {"project_id": "P1", "ent_id": E1, "district_code": "500101", "filing_no": "2501-500101-07-02-000001",
         "filed_on": "2025-01-10", "pooled_on": "2025-02-01", "total_investment": "20000000", "land_cost": "1000000",
         "green": "true", "equipment_only": "false", "category": "smart"},
        {"project_id": "P2", "ent_id": E2, "district_code": "500103", "filing_no": "", "filed_on": "",
         "pooled_on": "", "total_investment": "5000000.00", "land_cost": "", "green": "", "equipment_only": "是",
         "category": "other"},
    ],
    "products": [
        {"product_id": "PR1", "inst_id": "B1", "name": "技改前期贷", "category": "pre_project_plus_project",
         "launched_on": "2024-06-01", "innovative": "true"},
        {"product_id": "PR2", "inst_id": "L1", "name": "直租通", "category": "bank_plus_leasing",
         "launched_on": "", "innovative": ""},
    ],
    "applications": [
        {"app_id": "A1", "ent_id": E1, "project_id": "P1", "inst_id": "B1", "channel": "长江渝融通",
         "registered_on": "2025-03-03", "connected_on": "2025-03-04", "decision": "approved",
         "decided_on": "2025-03-10", "disbursed_on": "2025-03-14", "simplified_review": "true"},
        {"app_id": "A2", "ent_id": E2, "project_id": "P2", "inst_id": "L1", "channel": "",
         "registered_on": "2025-04-01", "connected_on": "2025-04-02", "decision": "pending",
         "decided_on": "", "disbursed_on": "", "simplified_review": ""},
    ],
    "loans": [
        {"loan_id": "LN1", "inst_id": "B1", "ent_id": E1, "project_id": "P1", "app_id": "A1", "product_id": "PR1",
         "kind": "loan", "amount": "10000000", "land_amount": "0", "rate": "0.031", "lpr": "0.0345",
         "signed_on": "2025-03-12", "disbursed_on": "2025-03-14", "maturity_on": "2028-03-12",
         "relending": "tech", "credit_line": "50000000"},
        {"loan_id": "LN2", "inst_id": "L1", "ent_id": E2, "project_id": "P2", "app_id": "", "product_id": "PR2",
         "kind": "lease_direct", "amount": "3000000.50", "land_amount": "", "rate": "0.058", "lpr": "0.0345",
         "signed_on": "2025-04-10", "disbursed_on": "2025-04-15", "maturity_on": "2030-04-10",
         "relending": "", "credit_line": ""},
    ],
    "interest_payments": [
        {"payment_id": "IP1", "loan_id": "LN1", "period_start": "2025-03-14", "period_end": "2025-06-20",
         "paid_on": "2025-06-21", "interest_paid": "86111.11"},
        {"payment_id": "IP2", "loan_id": "LN2", "period_start": "2025-04-15", "period_end": "2025-07-14",
         "paid_on": "2025-07-15", "interest_paid": "43500.01"},
    ],
    "guarantees": [
        {"guarantee_id": "GU1", "loan_id": "LN1", "guarantor_id": "G1", "guaranteed_amount": "5000000",
         "fee_rate": "0.008", "fee_paid": "40000", "paid_on": "2025-03-12"},
    ],
    "insurance_policies": [
        {"policy_id": "IN1", "ent_id": E1, "project_id": "P1", "insurer_id": "I1", "kind": "first_set_equipment",
         "product_name": "五轴联动加工中心", "insured_amount": "8000000", "premium": "240000", "policy_year": "2025"},
        {"policy_id": "IN2", "ent_id": E2, "project_id": "", "insurer_id": "", "kind": "project_cost_loss",
         "product_name": "", "insured_amount": "", "premium": "30000", "policy_year": "2025"},
    ],
    "cases": [
        {"case_id": "C1", "inst_id": "B1", "title": "设备更新贷款助力机械企业智能化改造", "year": "2025",
         "ent_id": E1, "summary": "“技改前期贷”先行投放，项目入库后转为技改贷，节省利息约12万元"},
    ],
    "holidays": [
        {"day": "2027-01-01", "working": "false", "note": "元旦"},
        {"day": "2027-02-06", "working": "true", "note": "春节调休上班"},
    ],
    "cooperation": [
        {"year": "2025", "inst_id": "B1", "source": "call"},
        {"year": "2025", "inst_id": "L1", "source": "evaluation"},
    ],
    "flags": [
        {"flag_id": "F1", "inst_id": "B1", "year": "2025", "kind": "data_quality", "note": "三季度报送延迟"},
    ],
}
assert set(ROWS) == set(contract.TABLES)


def write_csv(path: Path, table: str, rows: list[dict[str, str]], labels: bool = True,
              columns: list[str] | None = None) -> Path:
    """A CSV of `rows` as a user would make it from the template (BOM, label row)."""
    names, label_row = header_rows(contract.TABLES[table])
    columns = columns or [n for n in names if any(n in r for r in rows)] or names
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        if labels:
            writer.writerow([label_row[names.index(c)] if c in names else "" for c in columns])
        writer.writerows([[row.get(c, "") for c in columns] for row in rows])
    return path


def write_all(directory: Path, rows: dict[str, list[dict[str, str]]] = ROWS) -> list[Path]:
    """One CSV per table, in contract order."""
    directory.mkdir(parents=True, exist_ok=True)
    return [write_csv(directory / f"{t}.csv", t, rows[t]) for t in contract.ORDER if t in rows]


def write_xlsx(path: Path, rows: dict[str, list[dict[str, str]]]) -> Path:
    """A workbook with a sheet per table (header row only, no label row); every cell is
    text, as in the template, so a value starting with "=" is text, not a formula."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table, table_rows in rows.items():
        sheet = book.create_sheet(table)
        names = list(contract.TABLES[table].names)
        sheet.append(names)
        for r, row in enumerate(table_rows, start=2):
            for c, name in enumerate(names, start=1):
                if row.get(name):
                    cell = sheet.cell(r, c)
                    cell.value = row[name]
                    cell.data_type = "s"
    book.save(path)
    return path


def fingerprint(con) -> dict[str, tuple[int, int]]:
    """Row count and a checksum of the content of every table in the database: the sum of a hash of
    each row over all its columns (as runs/data_checksum.sql: no order needed, any changed, added or
    removed row changes it), all the tables in one query."""
    tables = [t for (t,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'main' and table_type = 'BASE TABLE'"
    ).fetchall()]
    every = " union all ".join(f"select '{t}', count(*), coalesce(sum(hash(x)), 0) from {t} x" for t in sorted(tables))
    return {t: (rows, checksum) for t, rows, checksum in con.execute(every).fetchall()}


def reported(con) -> dict[str, tuple[int, int]]:
    """The fingerprint of the reported tables only (bookkeeping left out)."""
    return {t: v for t, v in fingerprint(con).items() if t in contract.TABLES}


# Fixtures shared by the import tests (a test module imports the ones it uses).

@pytest.fixture(scope="module")
def base_file(tmp_path_factory):
    """A database holding every fixture row (built once, copied for each test)."""
    from scoring.importer import import_files

    path = tmp_path_factory.mktemp("base") / "base.duckdb"
    con = bootstrap.connect(path, demo_if_missing=False)
    report = import_files(con, write_all(path.parent / "rows"))
    assert report.ok, report.to_text()
    con.close()
    return path


def submitted_file(directory: Path, at) -> Path:
    """A database file holding every fixture row, submitted by the regulator at `at` (a datetime);
    a module builds it once and its tests open copies (conftest's `copy_of`)."""
    from scoring import receipts

    path = directory / "submitted.duckdb"
    con = bootstrap.connect(path, demo_if_missing=False)
    report = receipts.submit(con, write_all(directory / "rows"), user="regulator", clock=lambda: at)
    assert report.ok, report.to_text()
    con.close()
    return path


@pytest.fixture(name="con")
def copied_con(base_file, copy_of):
    """A fresh copy of the base database for one test."""
    return copy_of(base_file)


@pytest.fixture(scope="module", name="con")
def memory_con(tmp_path_factory):
    """An in-memory database holding every fixture row, shared by a module's examples."""
    from scoring.importer import import_files

    connection = bootstrap.connect(":memory:", demo_if_missing=False)
    assert import_files(connection, write_all(tmp_path_factory.mktemp("rows"))).ok
    yield connection
    connection.close()
