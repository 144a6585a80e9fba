"""One DuckDB connection per process, a cursor per use, results cached per question.

DuckDB 2.x connections are not thread-safe and Streamlit runs each session in its own
thread, so every read goes through a fresh `cursor()`. Cached results are keyed by the
function, its arguments, the user's scope key and `scoring.db.data_version`, which
changes on every import: one scope's rows are never served to another, and an import
is visible on the next rerun.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import duckdb
import streamlit as st

from scoring import db, dbfile
from scoring.access import Scope


@st.cache_resource(show_spinner="正在打开数据库……")
def _database(path: str, explicit: bool) -> duckdb.DuckDBPyConnection:
    # fails closed on a missing $JIGAI_DB; the embedded demo is built on first start
    return dbfile.open_database(path if explicit else None)


def open_or_stop() -> None:
    """Stop the page with the reason in Chinese when the database cannot be opened (a missing
    $JIGAI_DB, or a file another process holds); the next rerun tries again."""
    try:
        _database(*dbfile.target(None))
    except dbfile.Unavailable as error:
        st.error(f"平台无法打开数据库。{error}", icon=":material/error:")
        st.stop()


@contextmanager
def cursor():
    """A cursor of the process-wide connection, closed after use."""
    cur = _database(*dbfile.target(None)).cursor()
    try:
        yield cur
    finally:
        cur.close()


def load(fn: Callable, *args, scope: Scope | None, **kwargs):
    """`fn(con, *args, scope=scope, **kwargs)`, cached. `scope=None` calls `fn` without one: for
    reference data and run-level facts (a run's id, its method, the public district race)
    and for the regulator's engine calls, whose rows are all visible to it."""
    with cursor() as cur:
        version = db.data_version(cur)
    return _cached(f"{fn.__module__}.{fn.__qualname__}", args, tuple(sorted(kwargs.items())),
                   scope.key if scope else "-", version, _fn=fn, _scope=scope)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, args: tuple, kwargs: tuple, scope_key: str, version: str, *, _fn, _scope):
    with cursor() as cur:
        if _scope is None:
            return _fn(cur, *args, **dict(kwargs))
        return _fn(cur, *args, scope=_scope, **dict(kwargs))
