"""Results built once per data version and shared by every consumer in the process.

The app serves every session from one process (Streamlit runs sessions as threads), and several
pages and engine calls need the same expensive, unscoped intermediate result — the year's
subsidy items after the caps, computed over all rows. `tables(con, name, params, build)` keeps
such a result as Arrow tables keyed by the database file, its data version
(`scoring.db.data_version`, bumped by every import and stored run), a name and the parameters
that define it (e.g. the year and the policy's SHA-256): the first consumer builds it, a
concurrent one waits for that build, and every later one reads the same tables. Readers give
them to their query session as staging views (`engine.Session.provide`), so the user's scope
is still applied in SQL by the `scoped_*` views over them, never by the cache.

Sharing is switched on by the long-running process that benefits from it (`enable()`: the app,
whose pages and API ask the same questions again and again); a one-shot command line builds what
it needs once anyway and keeps its memory for streaming, and the benchmarks time the build itself.

A new data version makes the old entries unreachable; they are dropped when the next version's
entry is stored, and at most `MAX_ENTRIES` are kept. A database without a file (in memory) has
no identity to key on and is not shared: its consumers build their own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import duckdb
import pyarrow as pa

from scoring import db, engine

MAX_ENTRIES = 8  # (year, policy) pairs kept at once: the pages show this year and the last

_entries: OrderedDict[tuple, dict[str, pa.Table]] = OrderedDict()
_building: dict[tuple, threading.Lock] = {}
_guard = threading.Lock()
_enabled = False
builds: dict[str, int] = {}  # builds per name since the process started (the tests count them)


def database(con: duckdb.DuckDBPyConnection) -> str | None:
    """The file behind `con`, or None for an in-memory database."""
    return engine.query(con, "meta/database_path", scope=None)["path"].iloc[0]


def sharing(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether results on `con` are shared: sharing is on and the database is a file."""
    return _enabled and database(con) is not None


def tables(con: duckdb.DuckDBPyConnection, name: str, params: tuple,
           build: Callable[[], dict[str, pa.Table]]) -> dict[str, pa.Table]:
    """The tables `build()` returns for (`con`'s database, its data version, `name`, `params`),
    built at most once per key in this process (call it when `sharing(con)`)."""
    path = database(con)
    key = (path, db.data_version(con), name, params)
    with _guard:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
        lock = _building.setdefault(key, threading.Lock())
    with lock:  # one build per key; a concurrent consumer waits for it
        with _guard:
            if key in _entries:
                return _entries[key]
        result = build()
        with _guard:
            builds[name] = builds.get(name, 0) + 1
            for old in [k for k in _entries if k[0] == path and k[1] != key[1]]:
                del _entries[old]  # an older data version of the same file: never asked for again
            _entries[key] = result
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
            _building.pop(key, None)
    return result


def enable(on: bool = True) -> None:
    """Share results in this process from now on (off: every consumer builds its own)."""
    global _enabled
    _enabled = on


def clear() -> None:
    """Forget every shared result (tests; a process that replaced its database file)."""
    with _guard:
        _entries.clear()
