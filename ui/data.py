"""One DuckDB connection per process, a cursor per use, results cached per question.

DuckDB 2.x connections are not thread-safe and Streamlit runs each session in its own
thread, so every read goes through a fresh `cursor()`. Cached results are keyed by the
function, its arguments, the user's scope key and `scoring.db.data_version`, which
changes on every import: one scope's rows are never served to another, and an import
is visible on the next rerun.
"""

from __future__ import annotations

import threading
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


_run = threading.local()  # the data version read once per script run (`begin_run`)


def begin_run() -> None:
    """Read the data version once for this script run (the router calls it first): every cached
    question of the run is keyed by it, rather than each asking the database again."""
    with cursor() as cur:
        _run.version = db.data_version(cur)


def _version() -> str:
    version = getattr(_run, "version", None)
    if version is None:  # outside the router (a test calling a page's helper directly)
        with cursor() as cur:
            return db.data_version(cur)
    return version


def _key(value):
    """What identifies an argument in the cache: a policy or method by its SHA-256 (hashing the
    whole object on every rerun costs more than reading the cached result)."""
    return getattr(value, "sha256", None) or value


def load(fn: Callable, *args, scope: Scope | None, **kwargs):
    """`fn(con, *args, scope=scope, **kwargs)`, cached. `scope=None` calls `fn` without one: for
    reference data and run-level facts (a run's id, its method, the public district race)
    and for the regulator's engine calls, whose rows are all visible to it."""
    return _cached(f"{fn.__module__}.{fn.__qualname__}", tuple(map(_key, args)),
                   tuple(sorted((k, _key(v)) for k, v in kwargs.items())), scope.key if scope else "-", _version(),
                   _fn=fn, _scope=scope, _args=args, _kwargs=kwargs)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, keys: tuple, kwargs_keys: tuple, scope_key: str, version: str, *, _fn, _scope, _args,
            _kwargs):
    with cursor() as cur:
        if _scope is None:
            return _fn(cur, *_args, **_kwargs)
        return _fn(cur, *_args, scope=_scope, **_kwargs)


def load_shared(fn: Callable, *args, scope: Scope | None, **kwargs):
    """Like `load`, but the one result object is shared by every session that asks the same
    question (no copy per rerun): for large read-only results such as an evaluation `Result`,
    whose cached properties are then computed once. Callers must not modify it in place (pandas
    copy-on-write makes every derived frame a copy)."""
    return _shared(f"{fn.__module__}.{fn.__qualname__}", tuple(map(_key, args)),
                   tuple(sorted((k, _key(v)) for k, v in kwargs.items())), scope.key if scope else "-", _version(),
                   _fn=fn, _scope=scope, _args=args, _kwargs=kwargs)


@st.cache_resource(show_spinner=False, max_entries=128)
def _shared(name: str, keys: tuple, kwargs_keys: tuple, scope_key: str, version: str, *, _fn, _scope, _args,
            _kwargs):
    return _cached.__wrapped__(name, keys, kwargs_keys, scope_key, version, _fn=_fn, _scope=_scope, _args=_args,
                               _kwargs=_kwargs)


def derived(fn: Callable, key: tuple, *args):
    """`fn(*args)` for a pure function of cached results, computed once per `key` (what identifies
    the arguments, e.g. a run id) and data version, and shared: page-level caching of engine work
    that reads no database, such as the distance of every institution to its next grade."""
    return _derived(f"{fn.__module__}.{fn.__qualname__}", key, _version(), _fn=fn, _args=args)


@st.cache_resource(show_spinner=False, max_entries=128)
def _derived(name: str, key: tuple, version: str, *, _fn, _args):
    return _fn(*_args)
