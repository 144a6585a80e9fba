"""The composite-score horse race month by month (十九, R12): banks and leasing companies
scored on the year to date at every month end.

Each month end of the year, up to the data's last day (a month still running is cut off
at that day), gets the institutions' scores of one evaluation with `until` = that day,
under the given method and policy and without robustness re-runs: the race shows scores and
ranks, not their uncertainty. The indicators are sums, counts and shares, so every indicator
query answers all the month ends in one pass over the rows, each month end's loans and judged
stages read off the latest's by the day a cut-off first keeps them (the table `cut_offs`:
`evaluation.institution_scores_at`; the district race likewise, `districts.district_indicators_at`);
only S2's median and R11's share are asked per month end. The session reads many cut-offs
(`cut_offs=True`): the loans and every stage are built once as books (staging/eval_book,
stage_book). Where results are shared (the app), each race is computed once per data version and
kept in the database (`scoring.shared.frame`): the app computes it in the background after an
import, and the pages read the kept rows.
"""

from __future__ import annotations

import calendar
from datetime import date

import duckdb
import pandas as pd

from scoring import dashboard, districts, engine, shared
from scoring.access import MIN_PEERS, Scope
from scoring.evaluation import district_race, institution_scores_at
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
    table = shared.frame(con, "race/monthly_scores", (int(year), method.sha256, policy.sha256),
                         lambda: _all_monthly_scores(con, year, method, policy), at_import=True)
    visible = dashboard.institutions(con, scope)["inst_id"]
    return table[table["inst_id"].isin(visible)].reset_index(drop=True)


def _all_monthly_scores(con: duckdb.DuckDBPyConnection, year: int, method: Method, policy: Policy) -> pd.DataFrame:
    periods = [Period.of(year, until) for until in month_ends(year, dashboard.data_window(con).last_day)]
    if not periods:
        return pd.DataFrame(columns=COLUMNS)
    with engine.session(con, cut_offs=True) as session:  # the books built once, read for every month end
        scores = institution_scores_at(session, periods, method, policy)
    frames = [rows.drop(columns="until").assign(month=pd.Timestamp(until.year, until.month, 1))[COLUMNS]
              for until, rows in scores.groupby("until", sort=True)]
    return pd.concat(frames, ignore_index=True)


DISTRICT_COLUMNS = ["year", "month", "district_code", "name", "score", "rank"]


def monthly_district_ranks(con: duckdb.DuckDBPyConnection, year: int, *, method: Method,
                           policy: Policy) -> pd.DataFrame:
    """The district race (R16) month by month: at each month end of `year` (up to the data's last
    day), every unit's year-to-date score and rank, without robustness re-runs. Columns
    DISTRICT_COLUMNS; `month` is the month's first day. The race is public among districts."""
    return shared.frame(con, "race/monthly_district_ranks", (int(year), method.sha256, policy.sha256),
                        lambda: _all_monthly_district_ranks(con, year, method, policy), at_import=True)


def _all_monthly_district_ranks(con: duckdb.DuckDBPyConnection, year: int, method: Method,
                                policy: Policy) -> pd.DataFrame:
    periods = [Period.of(year, until) for until in month_ends(year, dashboard.data_window(con).last_day)]
    if not periods:
        return pd.DataFrame(columns=DISTRICT_COLUMNS)
    with engine.session(con, cut_offs=True) as session:  # the books built once, read for every month end
        raw = districts.district_indicators_at(session, periods, method, policy)
    frames = [district_race(months.drop(columns="until").reset_index(drop=True), method)
              .assign(year=year, month=pd.Timestamp(until.year, until.month, 1))[DISTRICT_COLUMNS]
              for until, months in raw.groupby("until", sort=True)]
    return pd.concat(frames, ignore_index=True)


def selection_lines(scores: pd.DataFrame, method: Method) -> pd.DataFrame:
    """An anonymous yardstick per month and peer group of `monthly_scores`: the selection line as
    the month's scores would draw it (R13) — the score of the last institution the rule would pick
    (the k-th best at or above the qualifying line, k between the method's minimum and maximum).
    Columns month, peer_group, line (NaN when nobody qualifies or fewer than MIN_PEERS are scored)."""
    rows = []
    for (month, group), frame in scores.dropna(subset=["score"]).groupby(["month", "peer_group"]):
        ranked = frame["score"].astype(float).sort_values(ascending=False)
        qualified = ranked[ranked >= method.lines.qualifying]
        k = min(method.selection.k_max, len(qualified))
        enough = len(ranked) >= MIN_PEERS and k >= min(method.selection.k_min, len(qualified)) and k > 0
        rows.append({"month": month, "peer_group": group, "line": float(qualified.iloc[k - 1]) if enough else float("nan")})
    return pd.DataFrame(rows, columns=["month", "peer_group", "line"])
