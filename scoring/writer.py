"""One writer at a time: imports (and whatever else moves the data version or appends to the
audit chain) queue behind each other in the app's process.

DuckDB lets two transactions run at once but refuses the second commit when both changed
the same row — every import writes the single data-version row and the audit chain's head,
so two overlapping imports used to end in "TransactionContext Error: Conflict on update!".
The lock makes the second wait for the first; `on_wait` lets its caller say it is queued.
Across processes DuckDB's file lock already admits one process (see `scoring.dbfile`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import duckdb

_LOCK = threading.Lock()


@contextmanager
def exclusive(on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the writer lock; when another writer has it, call `on_wait` once, then wait."""
    if not _LOCK.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        _LOCK.acquire()
    try:
        yield
    finally:
        _LOCK.release()


def import_files(con: duckdb.DuckDBPyConnection, sources: Iterable, user: str, inst_id: str | None = None,
                 on_wait: Callable[[], None] | None = None):
    """`scoring.importer.import_files`, queued behind any other writer."""
    from scoring import importer

    with exclusive(on_wait):
        return importer.import_files(con, sources, user=user, inst_id=inst_id)
