"""The validated import of reported files (DATA.md "What bad input gets"): the entry points.

One call checks every file it is given together, collecting every error, and writes
nothing unless all of them are clean; then it writes them all in one transaction, in
`contract.ORDER`. The work is done in three steps of `scoring.importing`: `read` (files
→ parts of text cells, within `Limits`), `validate` (normalise, then every check,
set-based in DuckDB) and `write` (insert, replace with audit, or leave unchanged).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import date, datetime
from functools import partial

import duckdb
import pandas as pd
import pyarrow as pa

from scoring import audit, calendar, contract, db, engine, shared
from scoring.access import REGULATOR, Scope
from scoring.districts import FIRST_UNIT
from scoring.engine import sql
from scoring.importing.limits import Limits
from scoring.importing.read import BLANKS, LABEL_MARK, Part, make_part, read_sources, table_for
from scoring.importing.report import FileResult, ImportIssue, ImportReport
from scoring.importing.validate import REGULATOR_ONLY, scope_refusals, sorted_issues, validate
from scoring.importing.write import write_part as _write_part
from scoring.method import Method
from scoring.policy import Policy

log = logging.getLogger(__name__)

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
    return ImportReport([], results)


def keep_results_of_import(con: duckdb.DuckDBPyConnection) -> None:
    """Keep in the file what the pages read first of the reported data as they now stand, with the parameters
    they read it with — the built-in policy and method's (a year whose method counts the week otherwise, or a
    policy simulated, builds its own, as before), the year the sidebar opens on and the year before, its as-of
    day — so that the first page after an import reads them instead of building them: the books
    (`shared.keep_books`), then each year's subsidy items, claims in queue order, 技改专项贷 to its cut-off,
    subsidy per project and kind, budget simulation under the current rules, composite and district races month by
    month and the regulator's data-quality findings, the stages judged on the as-of day (and on 31 December of a
    closed year: its evaluation's), its 今日提醒 lists and the regulator's first view of 储备库台账
    (`shared.keeping_for_import`). Best effort, after the commit (the seconds it takes: README): a failure is a
    warning, never an import's error."""
    try:
        _keep_results(con)
    except Exception as error:  # the data are committed whatever happens here: the pages build what is missing
        log.warning("could not keep the results of the import: %s", error)


def _keep_results(con: duckdb.DuckDBPyConnection) -> None:
    from scoring import budget, dashboard, digest, districts, published, quality, race, sla, subsidy  # if rows written
    from scoring.method import load_method
    from scoring.policy import load_policy

    catalog = engine.DuckDBBackend.catalog
    policy, week = load_policy(), load_method(None).sla_week
    values = sla.stage_params(date.today(), week=week, policy=policy)
    books = {}
    for view, kind in sql.staging_views(catalog).items():
        if kind == "book":
            given = values | sql.shared_book_values(catalog, view)
            books[view] = {name: given[name] for name in sql.resolve(catalog, f"staging/{view}", False).params}
    window = dashboard.data_window(con)
    year = window.opening_year(date.today())
    as_of = window.clamp(date.today())

    def year_results(y: int) -> None:
        method = load_method(published.year_method_text(con, y))  # the year's, as the pages judge it
        with engine.session(con) as session:
            _keep_year_inputs(session, y, as_of, policy, method)
            subsidy.prepare(session, y, policy, queue=True)
        budget.summary(con, y, budget.Variant(policy))  # 贴息预算模拟's first view: the current rules
        race.monthly_scores(con, y, method=method, policy=policy, scope=REGULATOR)  # 赛马, 我的排名
        race.monthly_district_ranks(con, y, method=method, policy=policy)  # 区县赛马
        quality.findings(con, y, REGULATOR, policy)  # 数据质量

    def stages() -> None:
        with engine.session(con) as session:
            sla.prepare(session, as_of, week=week, policy=policy)  # the data day's: `sla`'s and the pages'

    def reserve() -> None:  # 储备库台账 as the regulator opens it: the 41 units, the first unit's ledger, whom to call
        districts.reserve_summary(con, REGULATOR, as_of)
        districts.reserve_ledger(con, REGULATOR, FIRST_UNIT, as_of)
        districts.who_to_call(con, FIRST_UNIT, REGULATOR, as_of)

    steps = [lambda: shared.keep_books(con, books)]
    if year is not None:
        steps += [partial(year_results, y) for y in (year, year - 1) if y in window.years] + [stages, reserve]
        # every group of the 今日提醒 lists: the regulator's and a district official's (any: gathered for all) are all
        official = Scope("district", district_code=FIRST_UNIT)
        steps += [partial(digest.day_facts, con, as_of, scope) for scope in (REGULATOR, official)]
    version = db.reported_version(con)
    with shared.keeping_for_import(), shared.books(con):  # the races read the books just kept
        for step in steps:
            if db.reported_version(con) != version:  # another import came: it keeps its own, these would not be read
                return
            step()


def _keep_year_inputs(session: engine.Session, year: int, as_of: date, policy: Policy, method: Method) -> None:
    """Build, in `session` (kept where the caller keeps: `shared.keeping_for_import`), what the annual job and the
    pages read first of `year`: its 技改专项贷 to the pages' cut-off, the stages its evaluation judges on 31 December
    when the year is closed, and the year's subsidy items."""
    from scoring import budget, dashboard, sla

    dashboard.prepare_eval_loans(session, min(date(year, 12, 31), as_of))
    if date(year, 12, 31) < as_of:
        sla.prepare(session, date(year, 12, 31), week=method.sla_week, policy=policy)
    budget.project_kinds(session, "budget_baseline", year, policy, keep=True)  # the year's items first


def keep_annual_job_inputs(con: duckdb.DuckDBPyConnection, year: int) -> None:
    """Keep in the file, as an import keeps them, what the annual job of the closed `year` reads — `sla` on the
    data's last day, `subsidy` and `evaluate` of the year (`_keep_year_inputs`) — under the built-in policy and
    method. `init --demo` calls it before publishing the year, whose evaluation then reads them: the demo file
    holds what a file an import has written holds for that job, without the pages' share, which costs about 20 s
    more at a million loans (README, twenty-fourth pass)."""
    from scoring import dashboard, sla
    from scoring.method import load_method
    from scoring.policy import load_policy

    policy, method = load_policy(), load_method(None)
    as_of = dashboard.data_window(con).clamp(date.today())
    with shared.keeping_for_import(), engine.session(con) as session:
        _keep_year_inputs(session, year, as_of, policy, method)
        sla.prepare(session, as_of, week=method.sla_week, policy=policy)


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
