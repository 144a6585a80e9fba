"""The validated import of reported files (DATA.md "What bad input gets"): the entry points.

One call checks every file it is given together, collecting every error, and writes
nothing unless all of them are clean; then it writes them all in one transaction, in
`contract.ORDER`. The work is done in three steps of `scoring.importing`: `read` (files
→ parts of text cells, within `Limits`), `validate` (normalise, then every check,
set-based in DuckDB) and `write` (insert, replace with audit, or leave unchanged).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import date, datetime

import duckdb
import pandas as pd
import pyarrow as pa

from scoring import audit, calendar, contract, db, engine, shared
from scoring.engine import sql
from scoring.importing.limits import Limits
from scoring.importing.read import BLANKS, LABEL_MARK, Part, make_part, read_sources, table_for
from scoring.importing.report import FileResult, ImportIssue, ImportReport
from scoring.importing.validate import REGULATOR_ONLY, scope_refusals, sorted_issues, validate
from scoring.importing.write import write_part as _write_part

__all__ = ["BLANKS", "LABEL_MARK", "REGULATOR_ONLY", "FileResult", "ImportIssue", "ImportReport", "Limits", "Part",
           "import_files", "read_sources", "table_for", "validate_frame"]


def _private_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A connection of its own: staging tables and the transaction stay private to one import."""
    cur = con.cursor()
    engine.execute(cur, "import/quiet")  # a long import must not draw on the terminal
    return cur


def import_files(con: duckdb.DuckDBPyConnection, paths: Iterable, user: str = "cli",
                 inst_id: str | None = None, limits: Limits | None = None,
                 on_commit: Callable | None = None) -> ImportReport:
    """Check `paths` (CSV/XLSX paths, or (name, bytes) pairs from an upload) together and,
    when every row of every file is clean, write them all in one transaction.

    With `inst_id` (an institution user) only that institution's own rows are accepted
    and the regulator's tables are refused. On any error nothing is written. `limits`
    (default: the settings) bound what a file may hold. `on_commit(cur, parts, results)` runs
    inside the transaction just before it commits (the receipt of `scoring.receipts` is written
    with the data: both or neither).
    """
    parts, issues = read_sources(paths, limits)
    issues += scope_refusals(parts, inst_id)
    parts.sort(key=lambda p: (contract.ORDER.index(p.table), p.part_id))
    results = [FileResult(p.file, p.table, p.sha256, p.cells.num_rows) for p in parts]
    cur = _private_cursor(con)
    try:
        cur.begin()
        issues += validate(cur, parts, inst_id)
        if issues:
            cur.rollback()
            return ImportReport(sorted_issues(issues, parts), results)
        at = datetime.now()
        results = [_write_part(cur, p, user, at) for p in parts]
        if any(r.inserted or r.replaced for r in results):
            db.bump_data_version(cur)
        if any(r.table == "holidays" and (r.inserted or r.replaced) for r in results):
            calendar.refresh(cur)  # inside the transaction: holidays and calendar change together
        audit.seal(cur, audit.IMPORTS)  # the replaced rows join the hash chain in the same transaction
        if on_commit is not None:
            on_commit(cur, parts, results)
        cur.commit()
    except duckdb.Error as error:
        with suppress(duckdb.TransactionException):  # a failed commit has rolled back already
            cur.rollback()
        return ImportReport([ImportIssue("（全部文件）", None, None, None, f"写入数据库失败，已全部撤销：{error}")], results)
    finally:
        cur.close()
    if any(r.inserted or r.replaced for r in results):
        keep_books_of_import(con)
    return ImportReport([], results)


def keep_books_of_import(con: duckdb.DuckDBPyConnection) -> None:
    """Keep in the file the books of the reported data as they now stand (`shared.keep_books`), with the
    parameters the pages read them with: the built-in policy's time limits and method's week (a year whose
    method counts the week otherwise builds its own stage book, as before). Best effort, after the commit."""
    from scoring import sla  # the engine's readers, loaded only by an import that wrote something
    from scoring.method import load_method
    from scoring.policy import load_policy

    catalog = engine.DuckDBBackend.catalog
    values = sla.stage_params(date.today(), week=load_method(None).sla_week, policy=load_policy())
    books = {}
    for view, kind in sql.staging_views(catalog).items():
        if kind == "book":
            given = values | sql.shared_book_values(catalog, view)
            books[view] = {name: given[name] for name in sql.resolve(catalog, f"staging/{view}", False).params}
    shared.keep_books(con, books)


def validate_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame,
                   file_name: str) -> list[ImportIssue]:
    """The issues the importer would report for `frame` (text cells, columns named as in
    the contract) as a file of `table`, checked against the database; nothing is written."""
    header = [str(c) for c in frame.columns]
    raw = pa.table({f"c{i}": pa.Array.from_pandas(frame.iloc[:, i].astype(object)).cast(pa.string())
                    for i in range(len(header))})
    parts, issues = make_part(file_name, file_name, table, "", header, raw)
    for i, part in enumerate(parts, start=1):
        part.part_id = i
    cur = _private_cursor(con)
    try:
        cur.begin()
        issues += validate(cur, parts, None)
        cur.rollback()
    finally:
        cur.close()
    return sorted_issues(issues, parts)
