"""Reported rows written in bulk from Arrow, for the demo generator (`data/demo.py`): every
reported table but the reference data and overrides, in dependency order, all or nothing.
Imports of real files go through `scoring.importer`, which validates every cell first.

Each table has its own statement, `queries/demo/insert/<table>.sql`, which reads the rows
registered as `demo_rows` and turns integer fen and millionths into DECIMAL, so no binary float
carries a yuan or a rate. The table name only picks one of those files (`DEMO_TABLES`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from scoring import engine
from scoring.contract import ORDER

DEMO_TABLES = tuple(t for t in ORDER if t not in ("districts", "holidays"))  # reference data and overrides stay


def filled_tables(con) -> list[str]:
    """The demo tables that already hold rows, in `DEMO_TABLES` order."""
    counts = dict(engine.query(con, "demo/reported_rows", scope=None).itertuples(index=False))
    return [table for table in DEMO_TABLES if counts[table]]


def write_tables(con, tables: Mapping[str, pa.Table]) -> dict[str, int]:
    """Append `tables` (one Arrow table per name in `DEMO_TABLES`) in one transaction; returns
    the rows written per table."""
    unknown = sorted(set(tables) - set(DEMO_TABLES))
    if unknown:
        raise ValueError(f"不是可写入演示数据的表：{'、'.join(unknown)}")
    with engine.transaction(con):
        for name in DEMO_TABLES:
            if name in tables:
                with engine.registered(con, "demo_rows", tables[name]):
                    engine.execute(con, f"demo/insert/{name}")
    return {name: tables[name].num_rows for name in DEMO_TABLES if name in tables}
