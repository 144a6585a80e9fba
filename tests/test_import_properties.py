"""Properties of the import (DATA.md): any valid rows written as a file come back from
the database exactly (money to the fen as Decimal, dates, every boolean spelling, text
with Chinese, commas, quotes and line breaks); importing them again changes nothing;
and any single bad cell is reported at its own row and column with nothing written.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import import_fixture as fx
from import_fixture import memory_con  # noqa: F401  (fixture)
from scoring import contract
from scoring.creditcode import ALPHABET, check_character
from scoring.importer import BLANKS, import_files

pytestmark = pytest.mark.slow  # hypothesis examples that import files into a database

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
BOOLEANS = {"true": True, "TRUE": True, "True": True, "是": True, "1": True,
            "false": False, "False": False, "否": False, "0": False}
DISTRICTS = ["500101", "500103", "500235", "500243"]

ids = st.text(alphabet="ABCDEFGHJKLMNPQRTUWXY0123456789-_甲乙丙", min_size=1, max_size=10)
free_text = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]),
                       st.sampled_from(",\"'，“”、\n;；重庆技改")),
    min_size=1, max_size=24,
).map(lambda s: s.strip(BLANKS)).filter(bool)  # "=…" too: written as text, it is text
# text a spreadsheet would run, often: stored as typed (exports neutralise it: test_export.py)
free_text = st.builds(str.__add__, st.sampled_from(["", "", "=", "+", "-", "@", '=HYPERLINK("http://x.cn","点此")&']),
                      free_text)
money = st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2)
days = st.dates(date(2000, 1, 1), date(2090, 12, 31))


def money_text(amount: Decimal, short: bool) -> str:
    """How a user may write an amount: 1200.50, or 1200.5 / 1200 without trailing zeros."""
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if short and "." in text else text


@st.composite
def institutions(draw):
    amount = draw(st.none() | money)
    spelling = draw(st.sampled_from([*BOOLEANS, ""]))
    row = {"inst_id": draw(ids), "name": draw(free_text), "kind": draw(st.sampled_from(["bank", "leasing"])),
           "local_legal_person": spelling,
           "paid_in_capital": "" if amount is None else money_text(amount, draw(st.booleans()))}
    expected = (row["inst_id"], row["name"], row["kind"], BOOLEANS.get(spelling, False), amount)
    return row, expected


@st.composite
def enterprises(draw):
    prefix = draw(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
    tags = draw(st.lists(st.sampled_from(contract.TAGS), unique=True, max_size=3))
    separator = draw(st.sampled_from([";", "; ", "；", " ; "]))
    manufacturing = draw(st.sampled_from(list(BOOLEANS)))
    row = {"ent_id": prefix + check_character(prefix), "name": draw(free_text),
           "district_code": draw(st.sampled_from(DISTRICTS)), "size": draw(st.sampled_from(["large", "medium", "small", "micro"])),
           "ownership": draw(st.sampled_from(["state", "private", "foreign", "other"])),
           "manufacturing": manufacturing, "agricultural": "", "tags": separator.join(tags)}
    expected = (row["ent_id"], row["name"], row["district_code"], row["size"], row["ownership"],
                BOOLEANS[manufacturing], False, ";".join(tags) or None)
    return row, expected


@st.composite
def loans(draw):
    amount = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2))
    land = (amount * draw(st.sampled_from([Decimal(0), Decimal("0.1"), Decimal(1)]))).quantize(Decimal("0.01"))
    rate, lpr = (draw(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("0.24"), places=6)) for _ in "ab")
    signed = draw(days)
    disbursed = draw(st.none() | st.integers(0, 60).map(lambda d: signed + timedelta(days=d)))
    maturity = signed + timedelta(days=draw(st.integers(1, 3650)))
    row = {"loan_id": draw(ids), "inst_id": draw(st.sampled_from(["B1", "B2", "L1"])),
           "ent_id": fx.E1, "project_id": "P1", "kind": draw(st.sampled_from(["loan", "lease_direct", "lease_direct_back"])),
           "amount": money_text(amount, draw(st.booleans())), "land_amount": format(land, "f"),
           "rate": format(rate, "f"), "lpr": format(lpr, "f"), "signed_on": signed.isoformat(),
           "disbursed_on": disbursed.isoformat() if disbursed else "", "maturity_on": maturity.isoformat()}
    expected = (row["loan_id"], row["inst_id"], amount, land, rate, lpr, signed, disbursed, maturity, "none")
    return row, expected


def unique_rows(strategy, key=0):
    return st.lists(strategy, min_size=1, max_size=8, unique_by=lambda pair: pair[1][key])


def fresh(con, table: str, keep: tuple[str, ...]) -> None:
    """Forget earlier examples' rows (the fixture's own rows stay)."""
    key = contract.TABLES[table].key[0]
    con.execute(f"delete from {table} where {key} not in (select unnest($keep))", {"keep": list(keep)})


def stored(con, sql: str, keys: list[str]) -> list[tuple]:
    return con.execute(sql, {"keys": keys}).fetchall()


@SETTINGS
@given(rows=unique_rows(institutions()), as_xlsx=st.booleans())
def test_institutions_round_trip_through_csv_and_xlsx(con, tmp_path, rows, as_xlsx):
    fresh(con, "institutions", ("B1", "B2", "L1", "G1", "I1"))
    rows = [(r, e) for r, e in rows if r["inst_id"] not in ("B1", "B2", "L1", "G1", "I1")]
    table_rows = [r for r, _ in rows]
    path = (fx.write_xlsx(tmp_path / "book.xlsx", {"institutions": table_rows}) if as_xlsx
            else fx.write_csv(tmp_path / "institutions.csv", "institutions", table_rows))
    report = import_files(con, [path])
    assert report.ok, report.to_text()
    got = stored(con, "select inst_id, name, kind, local_legal_person, paid_in_capital from institutions "
                      "where inst_id in (select unnest($keys)) order by inst_id", [r["inst_id"] for r in table_rows])
    assert got == sorted(e for _, e in rows)


@SETTINGS
@given(rows=unique_rows(enterprises()))
def test_enterprises_round_trip_with_tags_normalised(con, tmp_path, rows):
    fresh(con, "enterprises", (fx.E1, fx.E2))
    path = fx.write_csv(tmp_path / "enterprises.csv", "enterprises", [r for r, _ in rows])
    report = import_files(con, [path])
    assert report.ok, report.to_text()
    got = stored(con, "select * from enterprises where ent_id in (select unnest($keys)) order by ent_id",
                 [e[0] for _, e in rows])
    assert got == sorted(e for _, e in rows)


@SETTINGS
@given(rows=unique_rows(loans()))
def test_loans_round_trip_to_the_fen_and_again_change_nothing(con, tmp_path, rows):
    fresh(con, "loans", ("LN1", "LN2"))
    path = fx.write_csv(tmp_path / "loans.csv", "loans", [r for r, _ in rows])
    first = import_files(con, [path])
    assert first.ok, first.to_text()
    query = ("select loan_id, inst_id, amount, land_amount, rate, lpr, signed_on, disbursed_on, maturity_on, relending "
             "from loans where loan_id in (select unnest($keys)) order by loan_id")
    keys = [r["loan_id"] for r, _ in rows]
    assert stored(con, query, keys) == sorted(e for _, e in rows)
    before = fx.reported(con)
    again = import_files(con, [path])
    assert again.ok and again.files[0].unchanged == len(rows) and fx.reported(con) == before


BAD_VALUES = {
    "amount": ["-3", "12.345", "1,000", "abc"],
    "rate": ["0.5", "5%", "-0.01", "0"],
    "signed_on": ["2025-13-01", "2025/1/1", "yesterday"],
    "kind": ["Loan", "贷款"],
    "inst_id": ["NOBODY"],
}


@SETTINGS
@given(rows=unique_rows(loans()), data=st.data())
def test_a_single_bad_cell_is_found_at_its_row_and_column(con, tmp_path, rows, data):
    fresh(con, "loans", ("LN1", "LN2"))
    table_rows = [dict(r) for r, _ in rows]
    index = data.draw(st.integers(0, len(table_rows) - 1))
    column = data.draw(st.sampled_from(sorted(BAD_VALUES)))
    table_rows[index][column] = data.draw(st.sampled_from(BAD_VALUES[column]))
    path = fx.write_csv(tmp_path / "loans.csv", "loans", table_rows)
    before = fx.fingerprint(con)
    report = import_files(con, [path])
    assert not report.ok
    assert (index + 3, column) in {(e.row, e.column) for e in report.errors}  # header 1, labels 2
    assert {e.row for e in report.errors} == {index + 3}
    assert fx.fingerprint(con) == before
