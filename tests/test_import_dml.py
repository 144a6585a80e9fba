"""The importer's writes (`queries/import/write/<table>/`, generated from `scoring/contract.py`
by `scoring.importing.dml`): the files are those the contract gives, and each `new_rows`
builds rows of exactly its table's columns and types."""

from __future__ import annotations

import shutil
from dataclasses import replace

import duckdb
import pyarrow as pa
import pytest

from scoring import contract, db
from scoring.importing import dml


def test_the_generated_import_writes_are_up_to_date():
    stale = dml.stale(db.QUERIES)
    assert not stale, (f"queries/{dml.FOLDER}/ disagrees with scoring/contract.py for {stale}. Run "
                       f"`{dml.COMMAND}` from the repository root (with the venv's python) and commit queries/{dml.FOLDER}/")


def test_the_freshness_check_finds_a_changed_contract_and_stray_files(tmp_path, monkeypatch):
    """Positive control: a column added to the contract, a hand edit, a missing and a left-over
    file are each found."""
    queries = tmp_path / "queries"
    shutil.copytree(db.QUERIES / dml.FOLDER, queries / dml.FOLDER)
    assert dml.stale(queries) == []
    loans = contract.TABLES["loans"]
    monkeypatch.setitem(contract.TABLES, "loans",
                        replace(loans, columns=(*loans.columns, contract.Column("note", "text", "备注"))))
    assert dml.stale(queries) == [f"{dml.FOLDER}/loans/new_rows.sql"]
    monkeypatch.undo()
    edited = queries / dml.FOLDER / "cases" / "insert_all.sql"
    edited.write_text(edited.read_text(encoding="utf-8") + "-- by hand\n", encoding="utf-8")
    (queries / dml.FOLDER / "flags" / "delete_replaced.sql").unlink()
    (queries / dml.FOLDER / "retired").mkdir()
    (queries / dml.FOLDER / "retired" / "new_rows.sql").write_text("select 1\n", encoding="utf-8")
    assert dml.stale(queries) == [f"{dml.FOLDER}/cases/insert_all.sql", f"{dml.FOLDER}/flags/delete_replaced.sql",
                                  f"{dml.FOLDER}/retired/new_rows.sql"]
    assert dml.write(queries) == 4 * len(contract.TABLES) and dml.stale(queries) == []


@pytest.mark.parametrize("table", list(contract.TABLES))
def test_new_rows_has_the_tables_columns_and_types(table):
    """Every column of the table, in its order and of its stored type; an empty cell takes the
    contract's default."""
    con = duckdb.connect()
    db.apply_schema(con)
    names = contract.TABLES[table].names
    con.register("import_incoming", pa.table({name: pa.nulls(1, pa.string()) for name in reversed(names)}))
    con.execute(db.sql(f"{dml.FOLDER}/{table}/new_rows"))
    made = con.sql("select column_name, data_type from duckdb_columns() where table_name = 'import_new'").fetchall()
    stored = con.sql("select column_name, data_type from duckdb_columns() "
                     "where table_name = $t and schema_name = 'main'", params={"t": table}).fetchall()
    assert made == stored
    row = dict(zip(names, con.execute("select * from import_new").fetchone()))
    defaulted = {c.name for c in contract.TABLES[table].columns if c.default is not None}
    assert {name for name, value in row.items() if value is not None} == defaulted
