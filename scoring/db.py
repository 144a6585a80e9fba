"""The DuckDB database: where it lives, its schema, its data version, and the SQL text of
`queries/`.

Opening a database, and what a new one starts with (reference data, calendar, demo),
is `scoring.bootstrap`; running queries is `scoring.engine`. This module is the bottom
of the stack above the query layer: it imports nothing else of the engine.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import duckdb

from scoring import engine
from scoring.contract import TABLES
from scoring.engine import sql as catalog

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "demo.duckdb"
REFERENCE = ROOT / "data" / "reference"
DB_ENV = "JIGAI_DB"  # environment variable that points the app and the CLI at another file


def default_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def sql(name: str) -> str:
    """The text of `queries/<name>.sql` (run it through `scoring.engine`)."""
    return catalog.source(QUERIES, name)


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet (files in name order), with its key."""
    for path in sorted((QUERIES / "schema").glob("*.sql")):
        engine.execute(con, f"schema/{path.stem}")
    declare_keys(con)


def declare_keys(con, tables: Iterable[str] = tuple(TABLES)) -> None:
    """Declare the contract's key (`contract.Table.key`) as the PRIMARY KEY of each of the reported
    `tables` that has none: the schema creates them keyless, so that a bulk load
    (`scoring.reported.write_tables`) can fill an empty table first and index it once. A database
    made before then already has its keys inline, and this does nothing."""
    keyed = set(engine.query(con, "schema/keys/primary_keys", scope=None)["table_name"])
    for table in tables:
        if table not in keyed:
            engine.add_primary_key(con, table, TABLES[table].key)


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A token that changes whenever reported data changes (caches key on it)."""
    rows = engine.query(con, "meta/data_version", scope=None)
    return rows["value"].iloc[0] if len(rows) else "0"


def bump_data_version(con: duckdb.DuckDBPyConnection, reported: bool = True) -> str:
    """A new data version; `reported=False` for a change that no reported table sees (an evaluation stored or
    published, a final qualitative score): the reported data's own version (`reported_version`) stays."""
    version = datetime.now().strftime("%Y%m%d%H%M%S%f")
    engine.execute(con, "meta/set_data_version", version=version)
    if reported:
        engine.execute(con, "meta/set_reported_version", version=version)
    return version


def reported_version(con: duckdb.DuckDBPyConnection) -> str:
    """A token that changes whenever a reported table changes, and only then; the data version for a file that no
    import or demo build of this code has written yet (any change there may be a reported one)."""
    rows = engine.query(con, "meta/reported_version", scope=None)
    return rows["value"].iloc[0] if len(rows) else data_version(con)
