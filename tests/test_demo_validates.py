"""Every demo row passes the importer's own validation (DATA.md): the demo database
holds nothing a reporting institution could not have imported."""

from __future__ import annotations

import pytest

from scoring import bootstrap, contract
from scoring.importer import validate_frame


@pytest.fixture(scope="module")
def demo_con(demo_path):
    con = bootstrap.connect(demo_path, demo_if_missing=False)
    yield con
    con.close()


@pytest.mark.parametrize("table", contract.ORDER)
def test_every_demo_row_validates(demo_con, table):
    # the rows as a user would type them: dates ISO, money "1234.50", booleans true/false
    frame = demo_con.execute(f"select columns(*)::varchar from {table}").df()
    assert list(frame.columns) == list(contract.TABLES[table].names)
    issues = validate_frame(demo_con, table, frame, f"{table}.csv")
    assert not issues, "\n".join(f"第 {i.row} 行 {i.column}={i.value!r}：{i.message}" for i in issues[:20])


def test_validate_frame_finds_what_the_importer_would(demo_con):
    frame = demo_con.execute("select columns(*)::varchar from loans limit 3").df()
    frame.loc[1, "amount"] = "-1"
    frame.loc[2, "inst_id"] = "NOBODY"
    issues = validate_frame(demo_con, "loans", frame, "loans.csv")
    assert [(i.file, i.row, i.column) for i in issues] == [("loans.csv", 3, "amount"), ("loans.csv", 4, "inst_id")]
