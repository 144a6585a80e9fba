"""Data out for another engine: every table of the database as one Parquet file each.

`python -m scoring export --db P --format parquet --out DIR` writes `DIR/<table>.parquet`
for the reported tables, the working-day calendar, the cooperation lists, the import log
and the stored evaluation runs, so that every read query of `queries/` runs on Spark
(`--engine spark --data DIR`). The accounts and sign-in tables stay behind: password hashes and
client addresses never leave the database; so do the app's kept results (`scoring.shared`). Types carry over as Parquet types (DECIMAL(18,2) money stays exact).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from scoring.db import QUERIES

KEPT_BACK = ("users", "login_events",  # credentials, sign-in attempts (names, client addresses)
             "shared_results", "shared_tables")  # the app's results kept per data version: computed, not data
_CREATE = re.compile(r"create\s+table\s+if\s+not\s+exists\s+(\w+)", re.IGNORECASE)


def exported_tables() -> list[str]:
    """The schema's tables (queries/schema/), in file order, without the accounts."""
    names = []
    for path in sorted((QUERIES / "schema").glob("*.sql")):
        names += [name for name in _CREATE.findall(path.read_text(encoding="utf-8")) if name not in KEPT_BACK]
    return names


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> list[Path]:
    """Write each exported table to `out_dir/<table>.parquet`; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in exported_tables():
        path = out / f"{table}.parquet"
        con.table(table).write_parquet(str(path))
        paths.append(path)
    return paths
