"""Presentation data the engines do not own: headline totals, monthly trends, the
volume race, lists of institutions and districts, the span of the data, the parts of a
stored evaluation run that users outside the regulator may see, and the what-if
re-scoring of the regulator's sandbox.

Every function that returns rows about institutions or districts takes the user's
`Scope` and filters in SQL (`queries/overview/*.sql`), so a page cannot read rows
outside it; peers appear only as anonymous aggregates over at least `MIN_PEERS`
institutions. Money comes back as `decimal.Decimal` yuan (through Arrow), never float.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

import duckdb
import pandas as pd

from scoring import db, lines, sla
from scoring.access import Scope
from scoring.aggregate import score_group
from scoring.method import Method
from scoring.period import Period

MIN_PEERS = 3  # an anonymous peer figure needs at least this many institutions behind it


def _frame(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run `queries/overview/<name>.sql`; DECIMAL columns arrive as Decimal, dates as date."""
    return con.sql(db.sql(f"overview/{name}"), params=params).to_arrow_table().to_pandas()


def _scoped(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, **params) -> pd.DataFrame:
    return _frame(con, name, **params, **scope.params)


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


def data_window(con: duckdb.DuckDBPyConnection) -> DataWindow:
    [(first_day, last_day)] = con.execute(db.sql("overview/data_window")).fetchall()
    return DataWindow(first_day, last_day)


def _on_eval_loans(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, year: int, until: date | None,
                   **params) -> pd.DataFrame:
    """`queries/overview/<name>.sql` over `eval_loans` — the evaluation's own definition of a
    技改专项贷 (`queries/indicators/eval_loans.sql`) as of `until` (default the end of `year`),
    put in front of the query as a CTE: one name, one definition, no copy of its conditions."""
    period = Period.of(year, until)
    body = db.sql(f"overview/{name}")
    first_with = re.search(r"^with\s", body, flags=re.MULTILINE)
    text = (body[:first_with.start()] + f"with eval_loans as (\n{db.sql('indicators/eval_loans')}\n),\n"
            + body[first_with.end():])
    named = {"year": year, "until": period.until, "until_last_year": period.until_last_year} | params
    used = {k: v for k, v in (named | scope.params).items() if re.search(rf"\${k}\b", text)}
    return con.sql(text, params=used).to_arrow_table().to_pandas()


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
    return _scoped(con, "institutions", scope)


def districts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The 41 units (public reference data)."""
    return _frame(con, "districts")


def peer_compliance(con: duckdb.DuckDBPyConnection, as_of: date, period: tuple[date, date],
                    scope: Scope) -> pd.DataFrame:
    """Per month ("YYYY-MM"): the median R10 compliance rate of the scope institution's peer
    group (month, median_rate) — an anonymous aggregate, empty for other scopes."""
    sla.materialise_stages(con, as_of)
    return _scoped(con, "peer_compliance", scope, period_start=period[0], period_end=period[1],
                   min_peers=MIN_PEERS)


def products(con: duckdb.DuckDBPyConnection, year: int, scope: Scope) -> pd.DataFrame:
    """Products in scope (R17) with loans and amount lent through each in `year`."""
    return _scoped(con, "products", scope, year=year)


def cases(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Typical cases in scope (R17)."""
    return _scoped(con, "cases", scope)


def import_history(con: duckdb.DuckDBPyConnection, username: str, scope: Scope) -> pd.DataFrame:
    """Files imported by `username`, or by anyone for the regulator (DATA.md import log)."""
    return _frame(con, "import_history", user=None if scope.role == "regulator" else username)


# -- stored evaluation runs, as users outside the regulator may see them ------------------

def published_run(con: duckdb.DuckDBPyConnection, year: int) -> str | None:
    """The run_id of `year`'s published evaluation, None while it is unpublished."""
    rows = con.execute(db.sql("overview/published_run"), {"year": year}).fetchall()
    return rows[0][0] if rows else None


def run_method(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    """The text of the method file a run used (load it with scoring.method.load_method)."""
    [(text,)] = con.execute(db.sql("overview/run_method"), {"run_id": run_id}).fetchall()
    return text


def my_result(con: duckdb.DuckDBPyConnection, run_id: str, scope: Scope) -> pd.DataFrame:
    """The scope's rows of a run's institution results (R12–R15): an institution its own."""
    return _scoped(con, "my_result", scope, run_id=run_id)


def my_indicators(con: duckdb.DuckDBPyConnection, run_id: str, scope: Scope) -> pd.DataFrame:
    """The scope's own indicators in a run (subject, subject_id, indicator, raw, normalised, contribution)."""
    return _scoped(con, "my_indicators", scope, run_id=run_id)


def peer_benchmark(con: duckdb.DuckDBPyConnection, run_id: str, scope: Scope) -> pd.DataFrame:
    """Anonymous yardsticks of the scope institution's peer group in a run: per measure
    (indicator id or "score") the median, and the mean and minimum among the selected."""
    return _scoped(con, "peer_benchmark", scope, run_id=run_id, min_peers=MIN_PEERS)


def district_race(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Every unit's R16 score and rank in a run (the race is published to all districts)."""
    return _frame(con, "district_race", run_id=run_id)


def district_benchmark(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Per district indicator, the median raw value and contribution over all units (R16)."""
    return _frame(con, "district_benchmark", run_id=run_id)


def district_history(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Each published year's score and rank of the units in scope (R16)."""
    return _scoped(con, "district_history", scope)


# -- the what-if sandbox (regulator) -------------------------------------------------------

def with_weights(method: Method, group: str, weights: Mapping[str, float]) -> Method:
    """`method` with the group's indicator weights replaced; a weight of 0 leaves the indicator
    out (and out of the group's tie-break, which then falls back to the id)."""
    used = {i for i, w in weights.items() if w > 0}
    if not used:
        raise ValueError("至少需要一个权重大于0的指标")
    indicators = []
    for ind in method.indicators:
        kept = {g: w for g, w in ind.weights.items() if g != group}
        if ind.id in used:
            kept[group] = float(weights[ind.id])
        indicators.append(replace(ind, weights=kept))
    tiebreak = {**method.selection.tiebreak,
                group: tuple(i for i in method.selection.tiebreak.get(group, ()) if i in used)}
    return replace(method, indicators=tuple(indicators), selection=replace(method.selection, tiebreak=tiebreak))


def what_if(institutions: pd.DataFrame, method: Method, group: str, weights: Mapping[str, float]) -> pd.DataFrame:
    """The group's scored institutions re-scored and re-selected with other weights (R12, R13),
    through the engine's own `score_group` and `lines.selection_table`.

    `institutions` is an evaluation's table (`<id>_raw` columns, status, eligible, deduction).
    Returns inst_id, name, score, rank, selected under the new weights.
    """
    scenario = with_weights(method, group, weights)
    rows = institutions[(institutions["peer_group"] == group) & (institutions["status"] == "scored")]
    rows = rows.set_index("inst_id")
    ids = [ind.id for ind in scenario.indicators_for(group)]
    raw = rows[[f"{i}_raw" for i in ids]].rename(columns=lambda c: c.removesuffix("_raw")).astype(float)
    if "tier" in rows.columns:
        raw["tier"] = rows["tier"]  # goalposts by peer tier
    scored = score_group(raw, scenario, group, rows["deduction"].astype(float))
    chosen = lines.selection_table(scored.score, rows["eligible"], scenario.lines.qualifying,
                                   scenario.selection.k_min, scenario.selection.k_max, scored.rank)
    return pd.DataFrame({"name": rows["name"], "score": scored.score, "rank": scored.rank,
                         "selected": chosen["selected"]}).rename_axis("inst_id").reset_index()
