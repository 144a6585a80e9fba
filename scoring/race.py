"""The composite-score horse race month by month (十九, R12): banks and leasing companies
scored on the year to date at every month end.

Each month end of the year, up to the data's last day (a month still running is cut off
at that day), gets one evaluation with `until` = that day, under the given method and
policy and without robustness re-runs: the race shows scores and ranks, not their
uncertainty. Each evaluation is set-based SQL over all rows;
the loop runs over at most twelve cut-off days.
"""

from __future__ import annotations

import calendar
from datetime import date

import duckdb
import pandas as pd

from scoring import dashboard
from scoring.access import Scope
from scoring.evaluation import evaluate
from scoring.method import Method
from scoring.period import Period
from scoring.policy import Policy

COLUMNS = ["month", "inst_id", "name", "peer_group", "score", "rank"]


def month_ends(year: int, last_day: date | None) -> list[date]:
    """The cut-off days of `year`'s race: each month's last day, the last one no later than
    `last_day` (the data's last day); none when the data ends before the year starts."""
    if last_day is None or last_day < date(year, 1, 1):
        return []
    ends = [date(year, month, calendar.monthrange(year, month)[1]) for month in range(1, 13)]
    return [min(end, last_day) for end in ends if date(year, end.month, 1) <= last_day]


def monthly_scores(con: duckdb.DuckDBPyConnection, year: int, *, method: Method, policy: Policy,
                   scope: Scope) -> pd.DataFrame:
    """Per month of `year` and institution: the year-to-date score and rank in its peer group
    (R12), NaN for an institution not scored that month (vetoed, or fewer loans than the
    minimum so far). Columns COLUMNS; `month` is the month's first day. Only the
    institutions `scope` may name are returned; ranks are those among all institutions.
    No default method, policy or scope: the page passes its context's.
    """
    cut_offs = month_ends(year, dashboard.data_window(con).last_day)
    frames = [_scores_until(con, year, method, policy, until) for until in cut_offs]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    visible = dashboard.institutions(con, scope)["inst_id"]
    return table[table["inst_id"].isin(visible)].reset_index(drop=True)


def _scores_until(con: duckdb.DuckDBPyConnection, year: int, method: Method, policy: Policy,
                  until: date) -> pd.DataFrame:
    institutions = evaluate(con, Period.of(year, until), method, draws=0, policy=policy).institution_rows
    month = pd.Timestamp(until.year, until.month, 1)
    return institutions.assign(month=month)[COLUMNS]
