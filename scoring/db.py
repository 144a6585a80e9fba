"""The DuckDB database: where it lives, its schema, and the SQL in `queries/`.

Every query the product runs is a `.sql` file under `queries/`; Python code
names it (`sql("sla/stages")`) and binds named parameters (`$year`).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import cache
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "demo.duckdb"
REFERENCE = ROOT / "data" / "reference"
DB_ENV = "JIGAI_DB"  # environment variable that points the app and the CLI at another file


def default_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


@cache
def sql(name: str) -> str:
    """The text of `queries/<name>.sql`."""
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no query named {name!r} ({path})")
    return path.read_text(encoding="utf-8")


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet (files in name order)."""
    for path in sorted((QUERIES / "schema").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def connect(path: str | Path | None = None, *, demo_if_missing: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database, creating it (with demo data unless told not to) on first use.

    The embedded default is `data/demo.duckdb`; `$JIGAI_DB` or `path` names another file,
    and ":memory:" gives a throw-away database.
    """
    target = str(path) if path is not None else str(default_path())
    is_new = target == ":memory:" or not Path(target).exists()
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(target)
    apply_schema(con)
    if is_new:
        initialise(con)
        if demo_if_missing:
            create_demo(con, publish=True)
    return con


def initialise(con: duckdb.DuckDBPyConnection) -> None:
    """Reference data and the working-day calendar that every database starts with."""
    from scoring.calendar import refresh

    load_reference(con)
    refresh(con)


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """The 41 Chongqing units (data/reference/districts.csv); existing rows are kept."""
    con.execute(
        "insert or ignore into districts select * from read_csv($path, all_varchar = true, header = true)",
        {"path": str(REFERENCE / "districts.csv")},
    )


def create_demo(con: duckdb.DuckDBPyConnection, seed: int = 7, loans: int | None = None, until=None,
                publish: bool = False) -> dict:
    """Fill an initialised database with demo data and the demo accounts; returns row counts.

    With `publish`, the latest full year is evaluated and published as a regulator would,
    so that banks and districts (who see published results only) have a result to look at.
    """
    from data.demo import generate  # the generator lives with the reference data, loaded only when needed
    from scoring.auth import add_demo_users

    stats = generate(con, seed=seed, loans=loans, until=until)
    add_demo_users(con)
    bump_data_version(con)
    if publish:
        from scoring.runs import evaluate_and_store

        year = (until or date.today()).year - 1
        evaluate_and_store(con, year, publish=True)
    return stats


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A token that changes whenever reported data changes (caches key on it)."""
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open on the connection
    rows = con.execute("select value from meta where key = 'data_version'").fetchall()
    return rows[0][0] if rows else "0"


def bump_data_version(con: duckdb.DuckDBPyConnection) -> str:
    version = datetime.now().strftime("%Y%m%d%H%M%S%f")
    con.execute(
        "insert or replace into meta (key, value) values ('data_version', $v)", {"v": version}
    )
    return version
