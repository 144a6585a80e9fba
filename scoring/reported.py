"""Reported rows written in bulk from Arrow, for the demo generator (`data/demo.py`): every
reported table but the reference data and overrides, in dependency order, all or nothing.
Imports of real files go through `scoring.importer`, which validates every cell first.

Each table has its own statement, `queries/demo/insert/<table>.sql`, which reads the rows
registered as `demo_rows` and turns integer fen and millionths into DECIMAL, so no binary float
carries a yuan or a rate. The table name only picks one of those files (`DEMO_TABLES`).
Tables that are empty when the load starts are loaded without their keys, which are declared
once the rows are in (`scoring.db.declare_keys`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator, Mapping

import duckdb
import pyarrow as pa

from scoring import db, engine
from scoring.contract import ORDER, TABLES

DEMO_TABLES = tuple(t for t in ORDER if t not in ("districts", "holidays"))  # reference data and overrides stay


def filled_tables(con) -> list[str]:
    """The demo tables that already hold rows, in `DEMO_TABLES` order."""
    counts = dict(engine.query(con, "demo/reported_rows", scope=None).itertuples(index=False))
    return [table for table in DEMO_TABLES if counts[table]]


def write_tables(con, tables: Mapping[str, pa.Table] | Iterable[tuple[str, pa.Table]]) -> dict[str, int]:
    """Append `tables` (one Arrow table per name in `DEMO_TABLES`) in one transaction; returns
    the rows written per table. A mapping is written in `DEMO_TABLES` order. Pairs of (name,
    table) are written in the order they come, and the next pair is made on a worker thread while
    one is written: a generator that builds each table (the demo's) then builds on one core while
    DuckDB writes on the other, and holds at most three tables at a time."""
    if isinstance(tables, Mapping):
        unknown = sorted(set(tables) - set(DEMO_TABLES))
        if unknown:
            raise ValueError(f"不是可写入演示数据的表：{'、'.join(unknown)}")
        pairs = iter([(name, tables[name]) for name in DEMO_TABLES if name in tables])
    else:
        pairs = made_ahead(iter(tables))
    counts = {}
    with engine.transaction(con):
        empty = unkeyed_when_empty(con)
        for name, table in pairs:
            if name not in DEMO_TABLES:
                raise ValueError(f"不是可写入演示数据的表：{name}")
            with engine.registered(con, "demo_rows", table):
                engine.execute(con, f"demo/insert/{name}")
            counts[name] = table.num_rows
    keyed_or_emptied(con, empty)
    return counts


def unkeyed_when_empty(con) -> list[str]:
    """Inside the writing transaction: the demo tables that hold no row, created again from the schema
    without their keys, so that the load goes into keyless tables (at 3,000,000 loans, 28–32 s with the
    keys declared afterwards against 39–43 s checking each row against the index as it comes)."""
    filled = set(filled_tables(con))
    empty = [table for table in DEMO_TABLES if table not in filled]
    created_again(con, empty)
    return empty


def keyed_or_emptied(con, tables: list[str]) -> None:
    """Declare the keys of `tables`, loaded keyless; rows that break a key (two with one id) empty
    them all again, so that a failed load writes nothing and the tables keep their keys."""
    for table in tables:
        try:
            db.declare_keys(con, [table])
        except duckdb.ConstraintException:
            with engine.transaction(con):
                created_again(con, tables)
            db.declare_keys(con, tables)
            key = "、".join(TABLES[table].key)
            raise ValueError(f"演示数据表 {table} 的编号（{key}）有重复，未写入任何数据") from None


def created_again(con, tables: list[str]) -> None:
    """`tables` dropped and created again, empty and keyless, from the schema."""
    for table in tables:
        engine.drop(con, table)
    engine.execute(con, "schema/10_reported")  # `create table if not exists`: only the dropped ones


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


def made_ahead(items: Iterator) -> Iterator:
    """`items`, each made on a worker thread while the caller uses the one before; an error in
    making one is raised to the caller, and a caller that stops early stops the worker."""
    ready: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    end = object()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for item in items:
                if not hand_over(item):
                    return
        except BaseException as error:  # noqa: BLE001 — raised again in the caller's thread
            hand_over(_Failed(error))
            return
        hand_over(end)

    worker = threading.Thread(target=make, name="made_ahead", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not end:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        worker.join()
