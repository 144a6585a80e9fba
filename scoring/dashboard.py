"""The data the dashboard pages draw that no engine owns: the span of the data, headline
totals, monthly trends, the volume race, lists of institutions and districts, products,
cases, imports, and a district's view of the institutions serving it.

Every function that returns rows about institutions or districts takes the user's
`Scope` and filters in SQL (`queries/overview/*.sql`, through the staging views), so a
page cannot read rows outside it; peers appear only as anonymous aggregates over at
least `MIN_PEERS` institutions. Money comes back as `decimal.Decimal` yuan, never float.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from scoring import engine, shared, sla
from scoring.access import MIN_PEERS, Scope
from scoring.period import Period
from scoring.policy import Policy


@dataclass(frozen=True)
class DataWindow:
    """The first and last day with reported activity (None, None for an empty database)."""

    first_day: date | None
    last_day: date | None

    @property
    def years(self) -> list[int]:
        if self.first_day is None:
            return []
        return list(range(self.first_day.year, self.last_day.year + 1))

    @property
    def latest_full_year(self) -> int | None:
        """The last calendar year the data covers to its end (the evaluation default)."""
        if self.last_day is None:
            return None
        year_complete = (self.last_day + timedelta(days=1)).year > self.last_day.year
        return max(self.last_day.year if year_complete else self.last_day.year - 1, self.first_day.year)

    def clamp(self, day: date) -> date:
        """`day`, but never after the last day of data nor before the first."""
        if self.last_day is None:
            return day
        return max(self.first_day, min(day, self.last_day))

    def opening_year(self, today: date) -> int | None:
        """The year the sidebar opens on (`ui.session.sidebar`): this year to date, else the data's last."""
        if not self.years:
            return None
        today = self.clamp(today)
        return today.year if today.year in self.years else self.years[-1]


def data_window(con: duckdb.DuckDBPyConnection) -> DataWindow:
    [(first_day, last_day)] = engine.query(con, "overview/data_window", scope=None).itertuples(index=False)
    return DataWindow(None if pd.isna(first_day) else first_day, None if pd.isna(last_day) else last_day)


def _on_eval_loans(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, year: int,
                   until: date | None) -> pd.DataFrame:
    """`queries/overview/<name>.sql`, which reads `eval_loans` — the evaluation's own definition of
    a 技改专项贷 (`queries/staging/eval_loans.sql`) — as of `until` (default the end of `year`):
    one name, one definition, no copy of its conditions."""
    period = Period.of(year, until)
    with engine.session(con) as session:
        prepare_eval_loans(session, period.until)
        return session.query(f"overview/{name}", scope=scope, year=year, until=period.until,
                             until_last_year=period.until_last_year)


EVAL_LOAN_DAYS_KEPT = 3  # cut-off days whose 技改专项贷 stay kept per data version: today's, and a few picked


def prepare_eval_loans(session: engine.Session, until: date) -> None:
    """Give `session` the 技改专项贷 as of `until` (the staging view `eval_loans`, over all rows), kept
    per data version and cut-off day where results are shared (`shared.provide_stored`): 总览's totals
    and months, a profile's months and the next process read one build (0.8 s each at a million loans)."""
    shared.provide_stored(session, "eval_loans", (until.isoformat(),), "eval_loans", _eval_loans_params(until),
                          keep=EVAL_LOAN_DAYS_KEPT, reported=True)


def read_kept_eval_loans(session: engine.Session, until: date) -> None:
    """Give `session` the 技改专项贷 as of `until` where the file keeps them for the data as they stand
    (`shared.provide_found`; `prepare_eval_loans` keeps them); where none are kept, the session builds
    them on first use."""
    shared.provide_found(session, "eval_loans", (until.isoformat(),), ("eval_loans",), _eval_loans_params(until),
                         reported=True)


def _eval_loans_params(until: date) -> dict:
    return {"year": until.year, "until": until}


def totals(con: duckdb.DuckDBPyConnection, year: int, scope: Scope, until: date | None = None) -> dict:
    """技改专项贷 (the evaluation's basis) of `year` to `until` (default its end): amount, loans,
    enterprises, mean rate and LPR of bank loans, the same period last year (amount_before), and
    every reported loan disbursed in the period (reported_amount, the second basis)."""
    return _on_eval_loans(con, "totals", scope, year, until).iloc[0].to_dict()


def monthly(con: duckdb.DuckDBPyConnection, year: int, scope: Scope, until: date | None = None) -> pd.DataFrame:
    """Per month of `year` to `until`: amount, cumulative_amount, loans, enterprises, mean_rate, mean_lpr
    (技改专项贷 on the evaluation's basis)."""
    return _on_eval_loans(con, "monthly", scope, year, until)


def cumulative_by_institution(con: duckdb.DuckDBPyConnection, year: int, scope: Scope,
                              until: date | None = None) -> pd.DataFrame:
    """Per institution and month: amount, cumulative_amount of 技改专项贷 (the volume race; V1's basis)."""
    return _on_eval_loans(con, "cumulative_by_institution", scope, year, until)


def institutions(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Banks and leasing companies visible in the scope: inst_id, name, peer_group."""
    return engine.query(con, "overview/institutions", scope=scope)


def districts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The 41 units (public reference data)."""
    return engine.query(con, "overview/districts", scope=None)


def peer_compliance(con: duckdb.DuckDBPyConnection, as_of: date, period: tuple[date, date], *,
                    scope: Scope, week: str, policy: Policy) -> pd.DataFrame:
    """Per month ("YYYY-MM"): the median R10 compliance rate of the scope institution's peer
    group (month, median_rate) — an anonymous aggregate, empty for other scopes."""
    with engine.session(con) as session:
        return session.query("overview/peer_compliance", scope=scope, period_start=period[0], period_end=period[1],
                             min_peers=MIN_PEERS, **sla.prepare(session, as_of, week=week, policy=policy))


def products(con: duckdb.DuckDBPyConnection, year: int, scope: Scope) -> pd.DataFrame:
    """Products in scope (R17) with loans and amount lent through each in `year`."""
    return engine.query(con, "overview/products", scope=scope, year=year)


def cases(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Typical cases in scope (R17)."""
    return engine.query(con, "overview/cases", scope=scope)


def import_history(con: duckdb.DuckDBPyConnection, username: str, scope: Scope) -> pd.DataFrame:
    """Files imported by `username`, or by anyone for the regulator (DATA.md import log)."""
    return engine.query(con, "overview/import_history", scope=None,
                        user=None if scope.role == "regulator" else username)


def serving_institutions(con: duckdb.DuckDBPyConnection, year: int, as_of: date, *, scope: Scope, week: str,
                         policy: Policy, until: date | None = None) -> pd.DataFrame:
    """The institutions serving a district's firms (R10, R16), one row each: inst_id, name,
    peer_group, cumulative_amount (lent there in `year`), loans_in_year, and the "3个1"
    stages of the district's applications with deadlines in `year` judged as of `as_of`:
    met, breached, pending, compliance_rate."""
    period = Period.of(year, until).span  # the year to `until` (its end by default)
    active = institutions(con, scope)
    race = cumulative_by_institution(con, year, scope, until)
    rates = sla.compliance(con, as_of, by=("inst_id",), period=period, scope=scope, week=week, policy=policy)
    year_end = race[race["month"] == race["month"].max()][["inst_id", "cumulative_amount"]]
    lent = race.groupby("inst_id", as_index=False)["loans"].sum().rename(columns={"loans": "loans_in_year"})
    return (active.merge(year_end, on="inst_id", how="left")
            .merge(lent, on="inst_id", how="left")
            .merge(rates[["inst_id", "met", "breached", "pending", "compliance_rate"]], on="inst_id", how="left"))
