"""Stored evaluation runs as users outside the regulator may read them (R12–R16).

Banks and districts see published results only: `published_run` names the run of a
year, if any. Rows about institutions or districts are filtered in SQL by the user's
`Scope` (`queries/overview/*.sql`); peers appear only as anonymous aggregates over at
least `MIN_PEERS` institutions; the district race is public to all districts (十九 通报).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from scoring import engine
from scoring.access import MIN_PEERS, Scope
from scoring.method import load_method


def published_run(con: duckdb.DuckDBPyConnection, year: int) -> str | None:
    """The run_id of `year`'s published evaluation, None while it is unpublished."""
    runs = engine.query(con, "overview/published_run", scope=None, year=year)
    return runs["run_id"].iloc[0] if len(runs) else None


def year_method_text(con: duckdb.DuckDBPyConnection, year: int) -> str | None:
    """The text of the method `year` is judged by: its published run's, None (the default
    method) while no run is published."""
    run_id = published_run(con, year)
    return None if run_id is None else run_method(con, run_id)


def run_method(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    """The text of the method file a run used (load it with scoring.method.load_method)."""
    [text] = engine.query(con, "overview/run_method", scope=None, run_id=run_id)["method_text"]
    return text


def my_result(con: duckdb.DuckDBPyConnection, run_id: str, scope: Scope) -> pd.DataFrame:
    """The scope's rows of a run's institution results (R12–R15): an institution its own."""
    return engine.query(con, "overview/my_result", scope=scope, run_id=run_id)


def my_indicators(con: duckdb.DuckDBPyConnection, run_id: str, scope: Scope) -> pd.DataFrame:
    """The scope's own indicators in a run (subject, subject_id, indicator, raw, normalised, contribution)."""
    return engine.query(con, "overview/my_indicators", scope=scope, run_id=run_id)


def peer_benchmark(con: duckdb.DuckDBPyConnection, run_id: str, scope: Scope) -> pd.DataFrame:
    """Anonymous yardsticks of the scope institution's peer group in a run: per measure
    (indicator id or "score") the median, and the mean and minimum among the selected."""
    return engine.query(con, "overview/peer_benchmark", scope=scope, run_id=run_id, min_peers=MIN_PEERS)


def district_race(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Every unit's R16 score and rank in a run (the race is published to all districts)."""
    return engine.query(con, "overview/district_race", scope=None, run_id=run_id)


def district_benchmark(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Per district indicator, the median raw value and contribution over all units (R16)."""
    return engine.query(con, "overview/district_benchmark", scope=None, run_id=run_id)


def district_comparison(con: duckdb.DuckDBPyConnection, run_id: str, scope: Scope) -> pd.DataFrame:
    """The scope's unit beside the median unit in a run, per district indicator of the run's
    method (R16): indicator, raw, median_raw, contribution, median_contribution, weight."""
    method = load_method(run_method(con, run_id))
    ids = [ind.id for ind in method.indicators_for("district")]
    own = my_indicators(con, run_id, scope).set_index("indicator").reindex(ids)
    bench = district_benchmark(con, run_id).set_index("indicator").reindex(ids)
    return pd.DataFrame({
        "indicator": ids, "raw": own["raw"].to_numpy(), "median_raw": bench["median_raw"].to_numpy(),
        "contribution": own["contribution"].to_numpy(), "median_contribution": bench["median_contribution"].to_numpy(),
        "weight": [method.weights("district")[i] for i in ids],
    })


def district_history(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Each published year's score and rank of the units in scope (R16)."""
    return engine.query(con, "overview/district_history", scope=scope)


def district_map(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Every unit of a run, one row each (the race is public among districts, R16): district_code,
    name, score, rank and the raw value of each district indicator of the run's method (D1…),
    in rank order."""
    long = engine.query(con, "overview/district_map", scope=None, run_id=run_id)
    ids = [ind.id for ind in load_method(run_method(con, run_id)).indicators_for("district")]
    heads = long[["district_code", "name", "score", "rank"]].drop_duplicates("district_code")
    values = (long[long["indicator"].isin(ids)].pivot(index="district_code", columns="indicator", values="raw")
              .reindex(columns=ids))
    return heads.merge(values.astype("float64"), left_on="district_code", right_index=True, how="left") \
        .reset_index(drop=True)


def peers_around(units: pd.DataFrame, district_code: str, around: int = 3) -> pd.DataFrame:
    """The units ranked within `around` places of `district_code` in a run's race (`district_map`'s
    rows), the unit itself included: the peer districts a unit races against most closely."""
    ranked = units.sort_values(["rank", "district_code"]).reset_index(drop=True)
    matches = ranked.index[ranked["district_code"] == district_code]
    if matches.empty:
        return ranked.iloc[0:0]
    at = int(matches[0])
    return ranked.iloc[max(at - around, 0): at + around + 1]
