"""The "3个1" time limits (R10) and simplified review (R11), on the working-day calendar (R9).

Every application goes through three stages, each judged on its own from the actual
previous milestone: 对接 connect (1 working day from registration), 方案设计和报批 approve
(one week from connection) and 发放 disburse (one week from approval). "One week" is five
working days, or seven calendar days under the setting `sla.week = "calendar"`. These
limits are the policy's (`scoring/policies/default.toml` [sla], passed as `policy`).

Statuses partition the stages (R10):
- `met`: done on or before the deadline; `breached`: done after it, or not done and the
  deadline passed (also when the application was withdrawn after the deadline);
- `at_risk`: not done, the deadline is today or the next working day
  (`working_days_left` ≤ 1, counting working days after the as-of day up to the deadline);
- `open`: not done, more time left;
- `not_applicable`: withdrawn before the stage was done (and before its deadline), or a
  stage that will never start because the application was rejected or withdrawn.
A stage that has not started yet on a still-live application is not listed (nor an
approval stage whose connection date is missing: the connect stage shows that gap).

All of it is SQL over all rows (`queries/sla/*.sql`); this module binds parameters. The
judged stages are the staging view `sla_stages` (`queries/staging/`: every stage as its
milestones finally stand, `stage_book`, judged as of the day), built once per
session of the query layer for an as-of day and week setting — in the app once per data version
and kept in the database (`prepare`); the readers see the user's part of it (`scoped_stages`). Every function takes the user's `scope`, the method's
`week` setting and the `policy` whose time limits apply: there is no default for any of them
(a page passes its context's, so the method's week reaches every figure).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import pyarrow as pa

from scoring import engine, shared
from scoring.access import Scope
from scoring.export import write_query
from scoring.policy import Policy

STAGES = ("connect", "approve", "disburse")
STATUSES = ("met", "breached", "open", "at_risk", "not_applicable")
WEEKS = ("working", "calendar")  # the method file's `sla.week`
GROUPINGS = {"inst_id": "by_inst", "district_code": "by_district", "month": "by_month", "stage": "by_stage"}


class Watchlists(NamedTuple):
    """What a bank looks at each morning (R10)."""

    due: pd.DataFrame  # open and at-risk stages, fewest working days left first
    overdue: pd.DataFrame  # breaches not yet done, most working days late first


def stage_table(con: duckdb.DuckDBPyConnection, as_of: date | str, *, scope: Scope, week: str,
                policy: Policy, arrow: bool = False) -> pd.DataFrame | pa.Table:
    """One row per application and stage as of `as_of` (R10), within `scope`.

    Columns: app_id, inst_id, ent_id, district_code, stage, started_on, deadline, done_on,
    status, working_days_used, working_days_left, working_days_late, withdrawn, provisional.
    With `arrow`, the same rows as Arrow in the engine's column types: the form `write_stage_table` streams to
    its file, with no Python object per cell (a day is a date32, not a `datetime.date`).
    """
    # one query: unless the stages are shared (`prepare`), they are judged in its pipeline, not first
    # written to a temp table (a quarter less CPU for the 3.2 M stages of a million loans)
    with engine.session(con, materialise=False) as session:
        table = session.streamed("sla/stages", scope=scope, **prepare(session, as_of, week=week, policy=policy))
    return table if arrow else engine.to_pandas(table)


STAGE_DAYS_KEPT = 3  # as-of days whose judged stages stay kept per data version: today, and a few a user picked


def prepare(session: engine.Session, as_of: date | str, *, week: str, policy: Policy) -> dict:
    """Give `session` the judged stages as of `as_of` (the staging view `sla_stages`, over all rows)
    and return the parameters its readers take. Where results are shared (the app) they are kept in
    the database per data version, as-of day, week setting and policy (`scoring.shared.stored`), so
    that the half-dozen "3个1" figures of a page, the 今日提醒 panel and every later page and process
    read one build; elsewhere the session builds them on first use, as any materialised view."""
    params = stage_params(as_of, week=week, policy=policy)
    shared.provide_stored(session, "sla/stages", _stages_key(params, week, policy), "sla_stages",
                          params, keep=STAGE_DAYS_KEPT, reported=True)
    return params


def _stages_key(params: dict, week: str, policy: Policy) -> tuple:
    """What the judged stages are kept under (`scoring.shared`), beside their name and the data version."""
    return params["as_of"].isoformat(), week, policy.sha256


def finished_late(con: duckdb.DuckDBPyConnection, as_of: date | str, year: int, *, scope: Scope, week: str,
                  policy: Policy) -> pd.DataFrame:
    """The stages as of `as_of` finished after their time limit (R10 breached, with a done day)
    whose time limit falls in `year`, latest first, with the enterprise's name."""
    with engine.session(con) as session:
        return session.query("sla/finished_late", scope=scope, year=int(year),
                             **prepare(session, as_of, week=week, policy=policy))


def any_provisional(con: duckdb.DuckDBPyConnection, as_of: date | str, *, scope: Scope, week: str,
                    policy: Policy) -> bool:
    """Whether a time limit of the stages as of `as_of` is counted on a provisional calendar (R9)."""
    with engine.session(con) as session:
        found = session.query("sla/any_provisional", scope=scope, **prepare(session, as_of, week=week, policy=policy))
    return bool(found["any_provisional"].iloc[0])


def write_stage_table(con: duckdb.DuckDBPyConnection, as_of: date | str, path: str | Path, scope: Scope, *,
                      week: str, policy: Policy) -> int:
    """`stage_table`'s rows streamed to `path` (CSV, XLSX or Parquet, `scoring.export`); returns the row count.
    The stages judged on `as_of` are read in place where the file keeps them for the data as they stand (each
    import keeps those of its day; the app those its pages asked for), else judged in the listing's pipeline;
    nothing is kept from here (see `subsidy.write_files`)."""
    with engine.session(con, materialise=False) as session:
        params = read_kept(session, as_of, week=week, policy=policy)
        return write_query(session, "sla/stages", path, sheet="sla", scope=scope, **params)


def read_kept(session: engine.Session, as_of: date | str, *, week: str, policy: Policy) -> dict:
    """Give `session` the stages judged on `as_of` where the file keeps them for the data as they stand
    (`shared.provide_found`; `prepare` keeps them), and return the parameters their readers take; where
    none are kept, the session judges them on first use."""
    params = stage_params(as_of, week=week, policy=policy)
    shared.provide_found(session, "sla/stages", _stages_key(params, week, policy), ("sla_stages",), params,
                         reported=True)
    return params


def stage_params(as_of: date | str, *, week: str, policy: Policy) -> dict:
    """The parameters the judged stages (`sla_stages`) are built with: the as-of day, the
    method's week setting and the policy's time limits (R10)."""
    if week not in WEEKS:
        raise ValueError(f"sla.week 只能是 {' 或 '.join(WEEKS)}，收到：{week!r}")
    return {"as_of": _day(as_of), "week_calendar_days": week == "calendar"} | policy.sla_params


def compliance(con: duckdb.DuckDBPyConnection, as_of: date | str, by: tuple[str, ...] = ("inst_id",),
               period: tuple[date | str | None, date | str | None] | None = None, *, scope: Scope,
               week: str, policy: Policy) -> pd.DataFrame:
    """R10 compliance rate = met / (met + breached) over stages whose deadline is in `period`.

    `by` is any of inst_id, district_code, month (of the deadline, "YYYY-MM"), stage;
    empty for one overall row. `period` is (first day, last day), either end None = open;
    None = every stage. Columns: the `by` columns, met, breached, pending (open or at risk),
    not_applicable, compliance_rate (None when nothing was judged).
    """
    unknown = [name for name in by if name not in GROUPINGS]
    if unknown:
        raise ValueError(f"不支持的分组：{unknown}，可选：{list(GROUPINGS)}")
    start, end = period or (None, None)
    flags = {flag: name in by for name, flag in GROUPINGS.items()}
    with engine.session(con) as session:
        frame = session.query("sla/compliance", scope=scope, period_start=_optional_day(start),
                              period_end=_optional_day(end), **flags,
                              **prepare(session, as_of, week=week, policy=policy))
    return frame.drop(columns=[name for name in GROUPINGS if name not in by])


def at_risk_and_breached(con: duckdb.DuckDBPyConnection, as_of: date | str, *, scope: Scope, week: str,
                         policy: Policy) -> Watchlists:
    """The morning lists as of `as_of` (R10): stages due with working days left, and
    outstanding breaches with working days late."""
    with engine.session(con) as session:  # one build of the stages for both lists
        params = prepare(session, as_of, week=week, policy=policy)
        return Watchlists(due=session.query("sla/due", scope=scope, **params),
                          overdue=session.query("sla/overdue", scope=scope, **params))


def simplified_review_share(con: duckdb.DuckDBPyConnection, period: tuple[date | str, date | str],
                            scope: Scope) -> pd.DataFrame:
    """R11 per institution: approvals decided in `period`, eligible ones, those that used
    simplified review, simplified reviews of ineligible approvals, and the share
    simplified / eligible (None without eligible approvals)."""
    return engine.query(con, "sla/simplified_review", scope=scope, **_period_params(period))


def registration_to_disbursement_days(con: duckdb.DuckDBPyConnection, period: tuple[date | str, date | str],
                                      scope: Scope) -> pd.DataFrame:
    """Indicator S2 per institution: median working days from registration to disbursement
    over the applications disbursed in `period` (R9, R10). Columns: inst_id,
    disbursements, median_working_days."""
    return engine.query(con, "sla/cycle_days", scope=scope, **_period_params(period))


def _period_params(period: tuple[date | str, date | str]) -> dict:
    start, end = period
    return {"period_start": _day(start), "period_end": _day(end)}


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _optional_day(value: date | str | None) -> date | None:
    return None if value is None else _day(value)
