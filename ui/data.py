"""One DuckDB connection per process, a cursor per use, results cached per question.

DuckDB 2.x connections are not thread-safe and Streamlit runs each session in its own
thread, so every read goes through a fresh `cursor()`. Cached results are keyed by the
function, its arguments, the user's scope key and `scoring.db.data_version`, which
changes on every import: one scope's rows are never served to another, and an import
is visible on the next rerun.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import contextmanager

import duckdb
import streamlit as st

from scoring import db, dbfile, shared
from scoring.access import Scope


WARM_ENV = "JIGAI_WARM"  # "0" switches the warm-up off (the tests do; `warm_up`)
SHARE_ENV = "JIGAI_SHARE"  # "0" switches off the engine results shared per data version (the tests do)
BOOKS_ENV = "JIGAI_SHARE_BOOKS"  # "0" keeps the other shared results but no books in memory (`shared.books`)

# the subsidy items shared per data version across sessions (`scoring.shared`): the app's process
# lives long and asks the same questions again and again
shared.enable(os.environ.get(SHARE_ENV, "1") != "0", books=os.environ.get(BOOKS_ENV, "1") != "0")


_after_open: list[Callable[[], None]] = []  # run once the database is open (app.py: the cache warm-up)


@st.cache_resource(show_spinner=False)
def _opening(path: str, explicit: bool) -> Future:
    """Open (for the embedded demo on first start: build) the database in a thread of its own,
    once per process, then run `_after_open` (the router's cache warm-up, `ui.warm`): the login
    form does not wait for the demo to be built, and the first pages find their engine work done."""
    future: Future = Future()

    def run() -> None:
        try:
            con = dbfile.open_database(path if explicit else None)
        except BaseException as error:  # handed to the caller; the next rerun tries again
            future.set_exception(error)
            return
        future.set_result(con)
        cur = con.cursor()  # other threads may use the connection from now on: a cursor of its own
        try:
            version = db.data_version(cur)
        finally:
            cur.close()
        warm_version(version, wait=True)

    threading.Thread(target=run, name="jigai-open", daemon=True).start()
    return future


_warmed: set[str] = set()  # data versions whose warm-up has started in this process
_warming: set[str] = set()  # data versions whose warm-up is running now
_warm_guard = threading.Lock()


def warm_version(version: str, wait: bool = False) -> None:
    """Run `_after_open` (the warm-up, `ui.warm`) once per data version: when the database opens,
    and again after each import, so that what a new version invalidates is computed again in the
    background before the first visitor asks (`wait`: in this thread rather than a new one)."""
    if os.environ.get(WARM_ENV, "1") == "0" or not _after_open:
        return
    with _warm_guard:
        if version in _warmed:
            return
        _warmed.add(version)

    def steps() -> None:
        _warming.add(version)
        try:
            for step in list(_after_open):
                step()
        finally:
            _warming.discard(version)

    if wait:
        steps()
    else:
        threading.Thread(target=steps, name="jigai-warm", daemon=True).start()


def warming() -> bool:
    """Whether the slow results of the data version this run reads are still being computed in the
    background (after a start or an import): until they are, a page that needs one computes it itself,
    which takes tens of seconds at a million loans."""
    return _version() in _warming


def _database(path: str, explicit: bool) -> duckdb.DuckDBPyConnection:
    future = _opening(path, explicit)
    try:
        return future.result()
    except dbfile.Unavailable:
        _opening.clear()  # not cached: the next rerun tries again
        raise


def ready() -> bool:
    """Whether the database is open (False while the embedded demo is still being built)."""
    future = _opening(*dbfile.target(None))
    return future.done() and future.exception() is None


def building_demo() -> bool:
    """True while the embedded demo database (no $JIGAI_DB) is being built or opened."""
    return not dbfile.target(None)[1] and not _opening(*dbfile.target(None)).done()


def open_or_stop(after_open: Callable[[], None] | None = None) -> None:
    """Stop the page with the reason in Chinese when the database cannot be opened (a missing
    $JIGAI_DB, or a file another process holds); the next rerun tries again. The embedded demo
    is built in the background: the login form shows meanwhile, and signing in waits for it.
    `after_open` runs once in that background thread after the database is open."""
    if after_open is not None and after_open not in _after_open:
        _after_open.append(after_open)
    if building_demo():
        return
    try:
        with st.spinner("正在打开数据库……"):
            _database(*dbfile.target(None))
    except dbfile.Unavailable as error:
        st.error(f"平台无法打开数据库。{error}", icon=":material/error:")
        st.stop()


@st.cache_resource(show_spinner=False)
def start_api(port: int, host: str):
    """Serve the HTTP API of banks' systems (issue 15 §2) from this process, once: it shares the
    app's connection and writer lock (DuckDB admits one process per file). The `uvicorn.Server`."""
    from scoring import api

    return api.serve_in_background(_database(*dbfile.target(None)), host, port)


@contextmanager
def cursor():
    """A cursor of the process-wide connection, closed after use."""
    cur = _database(*dbfile.target(None)).cursor()
    try:
        yield cur
    finally:
        cur.close()


@contextmanager
def computing(page: bool = False):
    """A page's run or the warm-up: the sessions over many cut-offs in it (the races, the projection)
    share their books while it lasts (`scoring.shared.books`). A page's run also keeps the large results
    it builds for later pages and processes in memory, and writes them to the file after it has drawn."""
    with cursor() as cur, shared.books(cur, keep_later=_database(*dbfile.target(None)) if page else None):
        yield


_run = threading.local()  # the data version read once per script run (`begin_run`)


def begin_run() -> None:
    """Read the data version once for this script run (the router calls it first): every cached
    question of the run is keyed by it, rather than each asking the database again."""
    with cursor() as cur:
        _run.version = db.data_version(cur)
    warm_version(_run.version)  # a new version (an import): compute the slow results again, in the background


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
