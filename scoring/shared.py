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
The command line only reads, in place, the large results the file already keeps (`found`, `provide_found`: `sla`,
`subsidy`, `evaluate`).

A new data version makes the old entries unreachable; they are dropped when the next version's
entry is stored, and at most `MAX_ENTRIES` are kept. A database without a file (in memory) has
no identity to key on and is not shared: its consumers build their own.

Small results that take long to compute (the monthly races, the year-end projection: dozens of
evaluations for a few hundred rows) are also kept in the file (`keep=True`, table
`shared_results`), as Arrow IPC streams keyed by the same data version, name and parameters (rows
of older versions are deleted when a result is kept; versions are timestamps, so a slow warm-up of
an older version never deletes a newer one's): a process started later — a restarted server, the next day's — reads them instead of computing them
again, and the app computes them in the background after each import (`ui.warm`), so that the
first visitor of a page finds them. Keeping is best effort: a database that cannot be written
(another transaction conflicted, a read-only file) only means the next process computes again.

Large results — the year's subsidy items and interest payments over all rows, a million and a half
rows at a million loans — are kept in the file as tables of their own (`stored`, recorded in
`shared_tables`, tables named `kept_<digest>_<part>`): built by the first consumer of a data
version in any process, read in place by every later one (a session's staging view becomes a view
of the table, so nothing of them is held in the process's memory), and dropped once two newer data
versions have their own (a page still reading the version before the last import keeps its
tables). A file that cannot be written shares them in memory instead (`tables`). Built in a page's
run (`books(…, keep_later=…)`), they are held in the in-memory database beside the file and written
to the file in the background once the run has drawn the page: the reader of a cold page does not wait
for the file's writes, and every other page of the process reads the same copy meanwhile.

The books that sessions over many cut-offs read (a year's 技改专项贷, every "3个1" stage:
`engine.sql`'s docstring) are shared in memory only while the process computes (`books`: a page's
run, the warm-up): the races of two years, the projection and the digest's days then build each
once instead of once per session, and the memory is given back when the last block ends.

After an import, what the pages read first of the new data is kept in the file by the import itself
(`scoring.importer.keep_results_of_import`), keyed by the reported data's own version, which an
evaluation stored or published does not change: the books (`keep_books`), and the large results of
the reported tables alone — a year's subsidy items and claims in queue order, a cut-off's 技改专项贷, the
judged stages (`keeping_for_import`, `stored(…, reported=True)`) — and, for the import's data version,
the small ones the first pages show (`tables(…, at_import=True)`: the races, the budget summary, the
今日提醒 lists). A page opened next reads them instead of building them, and `forget` leaves them: they
belong to the data, not to a page. `init --demo` keeps the part the annual job reads for the year it publishes
(`importer.keep_annual_job_inputs`), so that a demo file holds for that job what an imported one holds.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import NamedTuple

import duckdb
import pandas as pd
import pyarrow as pa

from scoring import db, engine

log = logging.getLogger(__name__)

MAX_ENTRIES = 8  # (year, policy) pairs kept at once: the pages show this year and the last

_entries: OrderedDict[tuple, dict[str, pa.Table]] = OrderedDict()
_stored: dict[tuple, dict[str, str] | None] = {}  # key → the tables `stored` keeps in the file (None: cannot)
_building: dict[tuple, threading.Lock] = {}
_guard = threading.Lock()
_enabled = False
builds: dict[str, int] = {}  # builds per name since the process started (the tests count them)


def database(con: duckdb.DuckDBPyConnection) -> str | None:
    """The file behind `con`, or None for an in-memory database."""
    return engine.query(con, "meta/database_path", scope=None)["path"].iloc[0]


def sharing(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether results on `con` are shared: sharing is on (or this thread keeps an import's results,
    `keeping_for_import`) and the database is a file."""
    return _sharing_on() and database(con) is not None


def tables(con: duckdb.DuckDBPyConnection, name: str, params: tuple,
           build: Callable[[], dict[str, pa.Table]], keep: bool = False,
           at_import: bool = False) -> dict[str, pa.Table]:
    """The tables `build()` returns for (`con`'s database, its data version, `name`, `params`),
    built at most once per key in this process (call it when `sharing(con)`); with `keep`, also
    kept in the database for every later process, and read from there when already kept. With
    `at_import` (and `keep`), the import keeps it too (`keeping_for_import`), for its data version: it is
    read from there first (the data version's, so a result of anything else — an evaluation's
    scores — is built again once they change)."""
    if at_import and _keeping_for_import():
        return _keep_at_import(con, name, params, build)
    if not _enabled:  # an import keeping its results (`keeping_for_import`): it keeps nothing else
        return build()
    path = database(con)
    key = (path, db.data_version(con), name, params)
    if keep:
        build = _kept(con, key, build, at_import)
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


def frame(con: duckdb.DuckDBPyConnection, name: str, params: tuple, build: Callable[[], pd.DataFrame],
          at_import: bool = False) -> pd.DataFrame:
    """`build()`'s frame, kept in the database for its data version where results are shared
    (`tables(…, keep=True)`, and `at_import`), else simply built."""
    if not sharing(con):
        return build()
    kept = tables(con, name, params, lambda: {"frame": arrow_of(build())}, keep=True, at_import=at_import)
    return pandas_of(kept["frame"])


def query_frame(con: duckdb.DuckDBPyConnection, query: str, params: tuple, scope, at_import: bool = False,
                **values) -> pd.DataFrame:
    """The named `query`'s frame (`engine.query`), kept as the query's own Arrow for its data version and `params`
    where results are shared (`tables(…, keep=True)`) and read as the engine reads a query: the same frame, with no
    frame turned back into Arrow to be kept (0.25 s of 储备库台账's cold ledger at a million loans). `at_import`: as
    `tables`'."""
    if not sharing(con):
        return engine.query(con, query, scope=scope, **values)
    kept = tables(con, query, params, lambda: {"frame": engine.arrow(con, query, scope=scope, **values)}, keep=True,
                  at_import=at_import)
    return engine.to_pandas(kept["frame"])


def arrow_of(frame: pd.DataFrame) -> pa.Table:
    """A frame as an Arrow table that `pandas_of` turns back into the same frame."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def pandas_of(table: pa.Table) -> pd.DataFrame:
    """The frame `arrow_of` was given, dtypes included: pandas would read text back as its string
    dtype, where the engine's frames hold Python objects (None stays None)."""
    frame = table.to_pandas()
    columns = (table.schema.pandas_metadata or {}).get("columns", [])
    objects = [c["name"] for c in columns if c.get("numpy_type") == "object" and c["name"] in frame.columns]
    return frame.astype(dict.fromkeys(objects, object)) if objects else frame


def _where(version: str, name: str, params: tuple) -> dict:
    """What a result kept in the file is found by: its data version, name and parameters, and the code
    that computed it — a result of the code before an upgrade (other columns, another rule) is never read."""
    return {"data_version": version, "result_name": name, "params": _params_key(params)}


def _params_key(params: tuple) -> str:
    return repr((code_version(), params))


@cache
def code_version() -> str:
    """A digest of the engine's code: every query file and every module of `scoring`."""
    digest = hashlib.sha256()
    for root, pattern in ((db.QUERIES, "*.sql"), (db.ROOT / "scoring", "*.py")):
        for path in sorted(root.rglob(pattern)):
            digest.update(path.relative_to(db.ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _kept(con: duckdb.DuckDBPyConnection, key: tuple, build: Callable[[], dict[str, pa.Table]], at_import: bool):
    """`build`, reading the result kept in the database for `key` first (by the import, `at_import`) and
    keeping a new one."""
    _, version, name, params = key
    where = _where(version, name, params)

    def read_or_build() -> dict[str, pa.Table]:
        imported = _read_at_import(con, _at_import_table(con, name, params)) if at_import else None
        if imported is not None:
            return imported
        stored = engine.query(con, "shared/stored", scope=None, **where)
        if len(stored):
            return _from_ipc(stored["part"], stored["payload"])
        result = build()
        if _keeps_later(key[0]):  # a page's run: kept once it has ended (`books`)
            with _guard:
                _to_write.setdefault(key[0], []).append(_UnwrittenSmall(where, result, threading.get_ident()))
        else:
            _keep(con, where, result)
        return result

    return read_or_build


def _keep(con: duckdb.DuckDBPyConnection, where: dict, result: dict[str, pa.Table]) -> None:
    try:
        with engine.transaction(con):
            engine.execute(con, "shared/prune", data_version=where["data_version"])
            for part, table in result.items():
                engine.execute(con, "shared/store", part=part, payload=_ipc(table), **where)
    except duckdb.Error as error:  # a cache: the next process computes it again
        log.warning("could not keep %s in the database: %s", where["result_name"], error)


def _at_import_table(con, name: str, params: tuple) -> str:
    return _book_table(db.data_version(con), "results", {"result": name, "params": repr(params)})


def _keep_at_import(con, name: str, params: tuple, build: Callable[[], dict[str, pa.Table]]) -> dict[str, pa.Table]:
    """`build()`'s tables, kept in the file by the import for its data version as one table of IPC streams, one row
    a part, written in one transaction (best effort: a refusal is a warning)."""
    table = _at_import_table(con, name, params)
    found = _read_at_import(con, table)
    if found is not None:
        return found
    result = build()
    parts = pa.table({"part": list(result), "payload": pa.array([_ipc(t) for t in result.values()], pa.binary())})
    try:
        with engine.session(con, isolated=True) as own, own.registered("result_parts", parts):
            with engine.transaction(own):
                own.store(table, "shared/result_parts", scope=None)
        with _guard:
            builds[name] = builds.get(name, 0) + 1
    except duckdb.Error as error:
        log.warning("could not keep %s for the import: %s", name, error)
    return result


def _read_at_import(con, table: str) -> dict[str, pa.Table] | None:
    """The tables an import kept as `table` (`_keep_at_import`), or None."""
    with engine.session(con, isolated=True) as own:
        if not own.backend.has_table(table):
            return None
        own.provide("result_parts", table)
        rows = own.arrow("shared/result_parts", scope=None)
    return _from_ipc(rows["part"].to_pylist(), rows["payload"].to_pylist())


def _from_ipc(parts, payloads) -> dict[str, pa.Table]:
    """Each part's table from its IPC stream (`_ipc`)."""
    return {part: pa.ipc.open_stream(payload).read_all() for part, payload in zip(parts, payloads, strict=True)}


def _ipc(table: pa.Table) -> bytes:
    """`table` as an Arrow IPC stream, LZ4-compressed: the day's digest facts (250 k pooled projects)
    shrink from 46 to 18 MB, and fetching the blob, not decoding it, was what a reader waited for."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="lz4")) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def stored(con, name: str, params: tuple, parts: tuple[str, ...],
           build: Callable[[dict[str, str]], None], keep: int | None = None,
           reported: bool = False) -> dict[str, str] | None:
    """Tables too large for `tables(…, keep=True)` — the year's subsidy items over all rows — kept in
    the database as tables of their own: part → table name, for (`con`'s database, its data
    version, `name`, `params`). `build(names)` creates each part's table (`engine.Session.store`,
    on the session `con` that holds its inputs); any later consumer, in this process or another,
    reads the same tables, so nothing of them is held in memory. With `keep`, only the `keep` parameter
    sets of `name` kept last in this data version stay (the stages of the as-of days asked lately).
    None when they cannot be kept (a read-only database): the caller shares them in memory
    instead (`tables`) or builds them itself. Call it when `sharing(con)`.

    Built in a page's run (`books(…, keep_later=True)`), they are tables of the in-memory database
    beside the file until the run has ended, and then written to the file in the background
    (`_write_later`): the page's reader does not wait for the file's compression and writes, which
    were 3 s of a cold 总览 at a million loans. Threads computing in a block of their own read the
    copy in memory meanwhile. Any other thread (the banks' API) gets None until the file has it, and
    builds its own: the copy is dropped without asking it, and waiting for the run to end could wait
    for ever — the run may want a result that this thread is building, under its lock, on top of this one
    (the claims' order on the year's items).

    `reported`: the result reads reported tables alone, none that an evaluation published writes (the
    cooperation list does: the claims' order is not one). The last import may then have kept it for the
    reported data as they stand (`keeping_for_import`), and those tables are read first."""
    path = database(con)
    version = db.data_version(con)
    key = (path, version, name, params)
    inside = _inside_block(path)
    with _guard:
        if key in _unwritten and not inside:
            return None  # held in memory for a page's run: see the docstring
        if key in _stored:
            return _stored[key]
        lock = _building.setdefault(("stored", *key), threading.Lock())
    with lock:
        with _guard:
            if key in _unwritten and not inside:
                return None
            if key in _stored:
                return _stored[key]
        imported = _kept_by_import(con, name, params, parts, build) if reported else None
        if imported is not None or _keeping_for_import():  # an import keeps nothing else: its caller builds it
            with _guard:
                if imported is not None:
                    _remember(key, imported, [])
                _building.pop(("stored", *key), None)
            return imported
        where = _where(version, name, params)
        tables = _tables_kept(con, where)
        built = tables is not None and set(tables) != set(parts)
        dropped: list[str] = []
        if built and _keeps_later(path):
            tables = _store_in_memory(con, key, where, parts, build, keep)
        elif built:
            tables, dropped = _store(con, where, parts, build, keep)
        with _guard:
            if built and tables is not None:
                builds[name] = builds.get(name, 0) + 1
            _remember(key, tables, dropped)
            _building.pop(("stored", *key), None)
    return tables


def found(con, name: str, params: tuple, parts: tuple[str, ...], reported: bool = False) -> dict[str, str] | None:
    """The tables of a result kept in the file for its data as they stand (`stored`: by the last import, the
    app or another process), or None: nothing is built or kept here. For a command that streams its output
    and will not keep anything of its own (its first run would pay for the writes). `con` is a connection or
    a session; a session on another engine (Spark, over Parquet files) finds nothing."""
    if isinstance(con, engine.Session) and not isinstance(con.backend, engine.DuckDBBackend):
        return None
    if reported:
        imported = _kept_by_import(con, name, params, parts, build=None)
        if imported is not None:
            return imported
    tables = _tables_kept(con, _where(db.data_version(con), name, params))
    return tables if tables is not None and set(tables) == set(parts) else None


def provide_found(session: engine.Session, name: str, key: tuple, views: tuple[str, ...], params: dict | None = None,
                  reported: bool = False) -> bool:
    """Give `session` each staging view of `views` from the table kept in the file for it (`found`: by an import,
    the app or another process), `params` being what a materialised view was built with; whether they were kept.
    Where none are, nothing: the session builds them itself. Nothing is built or kept here."""
    kept = found(session, name, key, views, reported=reported)
    for view, table in (kept or {}).items():
        session.provide(view, table, **(params or {}))
    return kept is not None


def _tables_kept(con, where: dict) -> dict[str, str] | None:
    """Part → table of the result `where` finds (`_where`), as recorded (empty: none); None for a file of an
    older schema, without shared_tables (read-only: nothing can be kept there)."""
    try:
        kept = engine.query(con, "shared/tables_kept", scope=None, **where)
    except duckdb.CatalogException:
        return None
    return dict(zip(kept["part"], kept["table_name"], strict=True))


def _kept_by_import(con, name: str, params: tuple, parts: tuple[str, ...],
                    build: Callable[[dict[str, str]], None] | None) -> dict[str, str] | None:
    """The tables of a result of the reported data that the last import kept (`keeping_for_import`),
    built now when this thread keeps them for an import (and `build` is given); None when there are none (or
    they cannot be built: the pages then build them as before)."""
    version = db.reported_version(con)
    names = {part: _book_table(version, part, {"result": name, "params": repr(params)}) for part in parts}
    with engine.session(con) as session:
        if all(session.backend.has_table(table) for table in names.values()):
            return names
        if build is None or not _keeping_for_import():
            return None
        building = {part: f"building_{table}" for part, table in names.items()}
        try:
            build(building)  # on cursors of its own: then every part is named in one transaction
            with engine.transaction(session):
                for part, table in building.items():
                    session.backend.rename(table, names[part])
        except duckdb.Error as error:
            log.warning("could not keep %s for the reported data: %s", name, error)
            _drop_quietly(session, building.values())
            return None
    with _guard:
        builds[name] = builds.get(name, 0) + 1
    return names


def _remember(key: tuple, tables: dict[str, str] | None, dropped: list[str]) -> None:
    """Record `key`'s tables, forgetting those of older data versions and of `key`'s result under the
    parameter sets `dropped` (call it holding `_guard`)."""
    path, version, name, _ = key
    for old in [k for k in _stored if k[0] == path and (k[1] != version or (k[2] == name and _params_key(k[3]) in dropped))]:
        del _stored[old]
    _stored[key] = tables


def provide_stored(session: engine.Session, name: str, key: tuple, view: str, params: dict, keep: int,
                   reported: bool = False) -> None:
    """Give `session` the materialised staging view `view` built with `params`, kept in the database per
    data version and `key` (`stored`, under `name`, the `keep` keys asked last), so that every reader of
    a page, the later pages and the next process read one build. Without sharing, or on a read-only
    file, the session builds it on first use, as any materialised view. `reported`: as `stored`'s."""
    if not sharing(session):
        return
    kept = stored(session, name, key, (view,),
                  lambda names: session.store(names[view], f"staging/{view}", scope=None, **params), keep=keep,
                  reported=reported)
    if kept:
        session.provide(view, kept[view], **params)


def _store(con, where: dict, parts: tuple[str, ...], build: Callable[[dict[str, str]], None],
           keep: int | None) -> tuple[dict[str, str] | None, list[str]]:
    """Build the parts' tables, then record them in one transaction that also drops the tables of older
    data versions (and, with `keep`, of this result's parameter sets beyond the `keep` kept last);
    return the tables and the parameter sets dropped. After a failure no table of this key is left
    (a table is never kept without its row)."""
    names = _file_tables(where, parts)
    try:
        # outside a transaction: a rollback would also take the session's temp tables that `build`
        # made on the way (its inputs), which the session goes on reading
        build(names)
        return names, _record(con, where, names, keep)
    except duckdb.Error as error:  # a read-only file, a conflicting writer: shared in memory instead
        log.warning("could not keep %s in the database: %s", where["result_name"], error)
        _drop_quietly(con, names.values())
        return None, []


def _file_tables(where: dict, parts: tuple[str, ...]) -> dict[str, str]:
    digest = hashlib.sha256(repr(sorted(where.items())).encode()).hexdigest()[:16]
    return {part: f"kept_{digest}_{part}" for part in parts}  # plain identifiers: `part` is a view name


def _record(con, where: dict, names: dict[str, str], keep: int | None) -> list[str]:
    """Record the tables `names` of a result in one transaction that also drops the tables of older data
    versions (and, with `keep`, of this result's parameter sets beyond the `keep` kept last); return the
    parameter sets dropped."""
    with engine.transaction(con):
        for part, table in names.items():
            engine.execute(con, "shared/keep_table", part=part, table_name=table, **where)
        _drop(con, engine.query(con, "shared/tables_outdated", scope=None)["table_name"])
        beyond = pd.DataFrame({"params": [], "table_name": []})
        if keep is not None:
            beyond = engine.query(con, "shared/tables_beyond", scope=None, keep=keep,
                                  data_version=where["data_version"], result_name=where["result_name"])
            _drop(con, beyond["table_name"])
    return sorted(set(beyond["params"]))


def _drop_quietly(con, tables) -> None:
    """No table without its row (best effort: the file may refuse this too)."""
    for table in tables:
        try:
            engine.drop(con, table)
        except duckdb.Error:
            pass


class _Unwritten(NamedTuple):
    """A result built in memory by a page's run, to be written to the file when the run has ended."""
    key: tuple
    where: dict
    memory: dict[str, str]  # part → its table in the in-memory database
    keep: int | None
    thread: int  # the run's thread, whose block's end writes it

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        _write(con, self)


class _UnwrittenSmall(NamedTuple):
    """A small result built by a page's run (`tables(…, keep=True)`), to be kept in the file when the run has
    ended: its reader does not wait for the compression and the write (0.3–0.6 s of a cold 储备库台账's ledger
    at a million loans); the process's other readers read it from memory meanwhile."""
    where: dict
    result: dict[str, pa.Table]
    thread: int

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        _keep(con, self.where, self.result)


def _store_in_memory(con, key: tuple, where: dict, parts: tuple[str, ...], build: Callable[[dict[str, str]], None],
                     keep: int | None) -> dict[str, str] | None:
    """Build the parts' tables in the in-memory database beside the file, to be written to the file after
    the page's run (`_write_later`); None where the in-memory database refuses (nothing is kept)."""
    memory = {part: f"{engine.BOOKS}.main.{table}" for part, table in _file_tables(where, parts).items()}
    try:
        build(memory)
    except duckdb.Error as error:
        log.warning("could not keep %s in memory: %s", where["result_name"], error)
        _drop_quietly(con, memory.values())
        return None
    with _guard:
        _unwritten.add(key)
        _to_write.setdefault(key[0], []).append(_Unwritten(key, where, memory, keep, threading.get_ident()))
    return memory


def _write_later(con: duckdb.DuckDBPyConnection, results: list[_Unwritten | _UnwrittenSmall]) -> None:
    """Write `results` from memory to the file, on a thread and a cursor of `con` of their own."""
    cur = con.cursor()

    def write() -> None:
        try:
            for result in results:
                result.write(cur)
        finally:
            cur.close()

    # not a daemon, whatever the thread that starts it (a page run's is): an exit waits for the write, where a
    # daemon was still running inside Arrow while the exit shut Arrow's threads down, and the process hung
    thread = threading.Thread(target=write, name="shared-write", daemon=False)
    with _guard:
        _writers[:] = [w for w in _writers if w.is_alive()] + [thread]
    thread.start()


def _write(con: duckdb.DuckDBPyConnection, result: _Unwritten) -> None:
    """Write one result kept in memory to the file and record it, then let its readers read the file; a
    newer data version's, or a failure, only means it is not kept (the next consumer builds it)."""
    path = result.key[0]
    names = _file_tables(result.where, tuple(result.memory))
    current = db.data_version(con) == result.where["data_version"]
    tables, dropped = None, []
    if current:
        try:
            for part, table in names.items():
                engine.DuckDBBackend(con).store_copy(table, result.memory[part])
            tables, dropped = names, _record(con, result.where, names, result.keep)
        except duckdb.Error as error:  # a read-only file, a conflicting writer: as `_store`
            log.warning("could not keep %s in the database: %s", result.where["result_name"], error)
            _drop_quietly(con, names.values())
    with _guard:
        if current:
            _remember(result.key, tables, dropped)
        else:  # an import came first: no reader will ask for this version again
            _stored.pop(result.key, None)
        _copies.setdefault(path, []).extend(result.memory.values())
        idle = _copies.pop(path) if not _computing.get(path) else []
        _unwritten.discard(result.key)
    _drop_quietly(con, idle)


def wait_for_writes() -> None:
    """Return once the results that page runs kept in memory are written to the file (the benchmarks and
    tests, before they measure or read a file as a new process would)."""
    with _guard:
        writers = list(_writers)
    for writer in writers:
        writer.join()


def _drop(con, tables) -> None:
    """Drop kept tables and forget their rows."""
    for table in tables:
        engine.drop(con, table)
        engine.execute(con, "shared/forget_table", table_name=table)


BOOK_VERSIONS = 2  # data versions whose books stay: a page still reading the one before an import keeps its own
_books: dict[tuple, str] = {}  # (file, generation, epoch, data version, book, parameters) → its table (`keep_book`)
_computing: dict[str, int] = {}  # file → blocks of the process computing with shared books (`books`)
# file → how often its books were dropped: a block starting while the last one's books are dropped names its own
_epochs: dict[str, int] = {}
_inside = threading.local()  # the files this thread computes in a `books` block for (depth of each)
_books_shared = False  # `enable(books=…)`: the in-memory database beside the file is used
# Large results built in memory by a page's run (`stored`, `books(keep_later=True)`), written after it:
_to_write: dict[str, list[_Unwritten | _UnwrittenSmall]] = {}  # file → results not yet handed to a writer
_unwritten: set[tuple] = set()  # `stored` keys held in memory, not yet in the file
_copies: dict[str, list[str]] = {}  # file → copies in memory already written: dropped when no block computes
_writers: list[threading.Thread] = []
_generation = 0  # bumped by `clear`: a new process's books


@contextmanager
def books(con: duckdb.DuckDBPyConnection, keep_later: duckdb.DuckDBPyConnection | None = None) -> Iterator[None]:
    """Within the block, every session over many cut-offs on `con`'s database (the races, the digest's
    days, the projection) reads its books — the loans of every year, every stage — from one build in memory,
    whatever year, method or user it computes for. They are large (740 MB at a million loans), so they
    live only while something computes: dropped when the last block of the process ends (a page's run,
    the warm-up). Outside any block (the banks' API), or where results are not shared, each session
    builds its own. With `keep_later` (a page's run, whose reader waits), the large results that `stored`
    keeps in the file are built in memory and written when the block ends, in the background, on a cursor
    of `keep_later` (the process's connection: `con`, a cursor of it, is closed with the run); so are the small
    results that `tables(…, keep=True)` keeps."""
    path = database(con) if _sharing_on() else None  # `sharing`, with one query, not two
    if path is None:
        yield
        return
    depth = _inside.__dict__.setdefault("files", {})
    later = _inside.__dict__.setdefault("later", {})
    with _guard:
        _computing[path] = _computing.get(path, 0) + 1
        depth[path] = depth.get(path, 0) + 1
        later[path] = later.get(path, 0) + (keep_later is not None)
    try:
        yield
    finally:
        with _guard:
            depth[path] -= 1
            later[path] -= keep_later is not None
            _computing[path] -= 1
            idle = [_books.pop(key) for key in list(_books) if key[0] == path] if not _computing[path] else []
            if idle:
                _epochs[path] = _epochs.get(path, 0) + 1
            copies = _copies.pop(path, []) if not _computing[path] else []
            mine = [] if later[path] else [r for r in _to_write.get(path, []) if r.thread == threading.get_ident()]
            if mine:  # by thread, not `in`: that would compare a small result's tables row by row
                _to_write[path] = [r for r in _to_write[path] if r.thread != threading.get_ident()]
        _drop_books(con, idle)
        _drop_quietly(con, copies)
        if mine:
            _write_later(keep_later, mine)


def _inside_block(path: str | None) -> bool:
    """Whether this thread computes in a `books` block on the file `path` (and may read copies in memory)."""
    return bool(path and _inside.__dict__.get("files", {}).get(path))


def _keeps_later(path: str | None) -> bool:
    """Whether this thread is in a page's run (`books(…, keep_later=True)`) with books shared, so that a
    large result is built in memory and written to the file after the run."""
    return bool(path and _books_shared and _inside.__dict__.get("later", {}).get(path))


class _Keeper:
    """The books of the `books` blocks, as `engine.share_books` asks for them."""

    @staticmethod
    def active(backend) -> bool:
        """Whether this thread computes in a `books` block on `backend`'s database. Only such a thread
        reads them: the books stay until its block ends, however long another thread's block lasts."""
        return _computing_file(backend) is not None

    @staticmethod
    def table(backend, view: str, text: str, params: dict) -> str | None:
        return _book(backend, view, text, params)

    @staticmethod
    def holds(backend, view: str, params: dict) -> bool:
        path = _computing_file(backend)
        return path is not None and _book_key(backend.con, path, view, params) in _books


def _computing_file(backend) -> str | None:
    files = _inside.__dict__.get("files", {})
    if not _sharing_on() or not any(files.values()) or not hasattr(backend, "keep_book"):
        return None  # asked before every query that reads a book: no query to find out this thread has no block
    path = database(backend.con)
    return path if files.get(path) else None


def _book(backend, view: str, text: str, params: dict) -> str | None:
    """The table holding the book `view` for `params` and the data version: the one the last import kept in the
    file (`keep_books`), else one built once while the process computes (`books`); None outside a `books` block
    of this thread, or where the in-memory database refuses (the session then builds its own)."""
    path = _computing_file(backend)
    if path is None:
        return None
    con = backend.con
    kept = _book_table(db.reported_version(con), view, params)
    if backend.has_table(kept):
        return kept
    key = _book_key(con, path, view, params)
    name = f"{view}_{hashlib.sha256(repr(key).encode()).hexdigest()[:16]}"
    with _guard:
        lock = _building.setdefault(key, threading.Lock())
    with lock:  # one build per key; a concurrent session waits for it
        try:
            table, built = backend.keep_book(name, text, params)
            with _guard:
                if built:
                    builds[f"staging/{view}"] = builds.get(f"staging/{view}", 0) + 1
                _books[key] = name
                outdated = _outdated_books(path)
            _drop_books(con, outdated)
        except duckdb.Error as error:
            log.warning("could not share %s between sessions: %s", view, error)
            return None
        finally:
            with _guard:
                _building.pop(key, None)
    return table


_importing = threading.local()  # `keeping_for_import`: whether this thread keeps an import's results


@contextmanager
def keeping_for_import() -> Iterator[None]:
    """Within the block, this thread keeps the results of the reported data that the pages read first
    (`stored(…, reported=True)`: a year's subsidy items, a cut-off's 技改专项贷, the judged stages) as tables
    of the file named for the reported data's version, as `keep_books` keeps the books: the import calls the
    same preparers as the pages, sharing on or off. No other large result (`stored`) is kept meanwhile, and
    where sharing is off nothing else at all; the small results that may read more than the reported data
    (`tables(…, at_import=True)`) are kept for the import's data version. Its sessions over many
    cut-offs read the books kept just before, in a `books` block, as a page's do (where sharing is off, as
    in the command line, only for the block: the races took 11 s more at a million loans building their own)."""
    lend = not _books_shared
    _importing.on = True
    if lend:
        engine.share_books(_Keeper())
    try:
        yield
    finally:
        _importing.on = False
        if lend:
            engine.share_books(None)


def _keeping_for_import() -> bool:
    return getattr(_importing, "on", False)


def _sharing_on() -> bool:
    """Whether this thread shares results, whatever the database: sharing is on, or it keeps an import's."""
    return _enabled or _keeping_for_import()


KEPT_BOOK_VERSIONS = 2  # reported data versions whose books stay in the file: a page on the one before keeps its own


def keep_books(con: duckdb.DuckDBPyConnection, books: dict[str, dict]) -> None:
    """Keep each book (view → its parameters) of the reported data as they now stand as a table of the file, and
    drop the books and results kept for all but the last KEPT_BOOK_VERSIONS reported versions, and the parts that
    a keeping of an older version left half-built (a process that died in it): called after an import has committed
    (`scoring.importer.keep_results_of_import`), so that a page opened next reads the books instead of building them
    (they read reported tables only: an evaluation stored or published keeps them). Best effort: a file that
    refuses only means the pages build them."""
    version = db.reported_version(con)
    try:
        with engine.session(con) as session:
            for view, params in books.items():
                table = _book_table(version, view, params)
                if not session.backend.has_table(table):
                    with engine.transaction(session):  # a page never sees the table before its rows
                        session.store(table, f"staging/{view}", scope=None, **params)
            names = engine.query(session, "shared/book_tables", scope=None)["table_name"]
            kept = {name: name.split("_")[1] for name in names if name.startswith("book_")}
            newest = sorted(set(kept.values()))[-KEPT_BOOK_VERSIONS:]
            left = [name for name in names if name.startswith("building_") and name.split("_")[2] != version]
            for name in [name for name, of_version in kept.items() if of_version not in newest] + left:
                engine.drop(session, name)
    except duckdb.Error as error:
        log.warning("could not keep the books in the database: %s", error)


def _book_table(version: str, view: str, params: dict) -> str:
    """The file's table of the book `view` for `params`, the reported data `version` and this code."""
    digest = hashlib.sha256(repr((code_version(), view, tuple(sorted(params.items())))).encode()).hexdigest()[:12]
    return f"book_{version}_{digest}_{view}"


def _book_key(con: duckdb.DuckDBPyConnection, path: str, view: str, params: dict) -> tuple:
    return path, _generation, _epochs.get(path, 0), db.data_version(con), view, tuple(sorted(params.items()))


def _outdated_books(path: str) -> list[str]:
    """Forget the books of `path` from an earlier generation or beyond the newest BOOK_VERSIONS data
    versions (versions are timestamps), and return their tables (call it holding `_guard`)."""
    versions = sorted({key[3] for key in _books if key[0] == path and key[1] == _generation})[-BOOK_VERSIONS:]
    old = [key for key in _books if key[0] == path and (key[1] != _generation or key[3] not in versions)]
    return [_books.pop(key) for key in old]


def _drop_books(con: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
    for table in tables:
        try:
            engine.DuckDBBackend(con).drop_book(table)
        except duckdb.Error as error:  # memory only: the next block's books replace them
            log.warning("could not drop the shared book %s: %s", table, error)


def enable(on: bool = True, books: bool = True) -> None:
    """Share results in this process from now on (off: every consumer builds its own); with `books`, the
    books of the `books` blocks too (off: no memory held for them, each session builds its own)."""
    global _enabled, _books_shared
    _enabled = on
    _books_shared = on and books
    engine.share_books(_Keeper() if on and books else None)


def forget(con: duckdb.DuckDBPyConnection) -> None:
    """Forget every result kept in the database too (the page benchmark's cold start)."""
    clear()
    engine.execute(con, "shared/forget")
    _drop(con, engine.query(con, "shared/tables_all", scope=None)["table_name"])


def clear() -> None:
    """Forget every shared result (tests; a process that replaced its database file), once the results
    kept in memory by page runs are written."""
    global _generation
    wait_for_writes()
    with _guard:
        _entries.clear()
        _stored.clear()
        _generation += 1  # the books of earlier generations are dropped when the next one is built
