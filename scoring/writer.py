"""One writer at a time: imports (and whatever else moves the data version or appends to the
audit chain) queue behind each other in the app's process.

DuckDB lets two transactions run at once but refuses the second commit when both changed
the same row — every import writes the single data-version row and the audit chain's head,
so two overlapping imports used to end in "TransactionContext Error: Conflict on update!".
The lock makes the second wait for the first; `on_wait` lets its caller say it is queued.
Imports take it through `scoring.receipts.submit`, which records each one as a submission.
Across processes DuckDB's file lock already admits one process (see `scoring.dbfile`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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

