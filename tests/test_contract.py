"""The import contract (`scoring/contract.py`) and the schema (`queries/schema/10_reported.sql`)
agree: the same tables and columns in the same order, a column type for each kind, NOT NULL
exactly where a cell may not stay empty, the same keys, the same allowed values, and a CHECK
for every impossible-date rule (DATA.md)."""

from __future__ import annotations

import re

import duckdb
import pytest

from scoring import db
from scoring.contract import DATE_RULES, ORDER, TABLES
from scoring.importing.validate import STRICT_DATE_RULES

TYPES = {  # contract kind → DuckDB column type
    "text": "VARCHAR", "credit_code": "VARCHAR", "list": "VARCHAR", "date": "DATE", "bool": "BOOLEAN",
    "int": "INTEGER", "money": "DECIMAL(18,2)", "rate": "DECIMAL(9,6)",
}


@pytest.fixture(scope="module")
def schema():
    con = duckdb.connect()
    db.apply_schema(con)
    columns = con.sql("select table_name, column_name, data_type, is_nullable, column_default, column_index "
                      "from duckdb_columns() where schema_name = 'main'").df()
    constraints = con.sql("select table_name, constraint_type, constraint_column_names, expression "
                          "from duckdb_constraints()").df()
    con.close()
    return columns, constraints


def _columns(schema, table: str):
    columns, _ = schema
    return columns[columns["table_name"] == table].sort_values("column_index").set_index("column_name")


def _checks(schema, table: str) -> list[tuple[list[str], str]]:
    _, constraints = schema
    rows = constraints[(constraints["table_name"] == table) & (constraints["constraint_type"] == "CHECK")]
    return [(list(row.constraint_column_names), row.expression) for row in rows.itertuples()]


def test_every_reported_table_is_in_both(schema):
    reported = re.findall(r"create table if not exists (\w+)", db.sql("schema/10_reported"))
    assert sorted(reported) == sorted(TABLES) == sorted(ORDER)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_columns_in_order_with_the_type_of_their_kind(schema, table):
    columns = _columns(schema, table)
    assert list(columns.index) == list(TABLES[table].names)
    for column in TABLES[table].columns:
        assert columns.loc[column.name, "data_type"] == TYPES[column.kind], column.name


@pytest.mark.parametrize("table", sorted(TABLES))
def test_not_null_where_a_cell_cannot_stay_empty(schema, table):
    """Required → NOT NULL; a NOT NULL column that is not required has a default on both sides."""
    columns = _columns(schema, table)
    for column in TABLES[table].columns:
        nullable = bool(columns.loc[column.name, "is_nullable"])
        if column.required:
            assert not nullable, column.name
        elif not nullable:
            assert column.default is not None, column.name
            assert columns.loc[column.name, "column_default"] is not None, column.name


@pytest.mark.parametrize("table", sorted(TABLES))
def test_the_key_is_the_primary_key(schema, table):
    _, constraints = schema
    keys = constraints[(constraints["table_name"] == table) & (constraints["constraint_type"] == "PRIMARY KEY")]
    declared = tuple(keys.iloc[0]["constraint_column_names"]) if len(keys) else ()
    assert declared == TABLES[table].key


@pytest.mark.parametrize("table", sorted(TABLES))
def test_allowed_values_are_the_check_constraint_s(schema, table):
    checks = _checks(schema, table)
    for column in TABLES[table].columns:
        if not column.values or column.kind == "list":  # list items are checked by the importer
            continue
        listed = [re.findall(r"'([^']*)'", expression) for names, expression in checks
                  if names == [column.name] and " IN " in expression]
        assert listed, f"{table}.{column.name} has no CHECK (… IN …)"
        assert sorted(listed[0]) == sorted(column.values), column.name


@pytest.mark.parametrize("rule", DATE_RULES, ids=lambda rule: f"{rule[0]}.{rule[1]}")
def test_every_impossible_date_rule_is_a_check(schema, rule):
    """Not earlier (>=), or strictly later where the importer says so (a loan matures after signing)."""
    table, later, earlier, _ = rule
    relation = ">" if (table, later) in STRICT_DATE_RULES else ">="
    assert any(sorted(names) == sorted([later, earlier]) and f"({later} {relation} {earlier})" == expression
               for names, expression in _checks(schema, table)), rule


def test_a_positive_control_a_changed_kind_is_caught(schema):
    """The type check can fail: a money column read as a rate does not match."""
    columns = _columns(schema, "loans")
    assert columns.loc["amount", "data_type"] != TYPES["rate"]
