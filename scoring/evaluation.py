"""The comprehensive evaluation of one year, one pipeline read top to bottom (R12–R16).

As in COINr, every step is a function of the one before:

    raw indicators (SQL, `scoring.indicators`)
    → exclusions (vetoed, under the minimum data: listed, not scored)
    → per peer group: normalise, weight, aggregate, deduct (`scoring.aggregate.score_group`)
    → ranks → grades and the 约谈 list (R15)
    → selection (R13) against the cooperating list of the year: stays / joins / leaves
    → bonus points (R14)
    → robustness of each rank (`scoring.robustness`) and drop-one shifts
    → the district race (R16, `scoring.districts`)

`evaluate` returns an `Evaluation`; `scoring.runs` stores it. Nothing here writes to
the database: the TEMP tables of the indicator queries are the only side effect.

`until` cuts the year off at a day (the end of the year by default): the institutions are
then scored on the year to date (`scoring.indicators`), which is what the monthly horse
race (`scoring.race`) shows; the district race (R16) stops at the same day, its growth
compared with the same period of the year before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from scoring import districts, indicators, lines
from scoring.aggregate import score_group
from scoring.db import sql
from scoring.method import DISTRICT_INDICATORS, INSTITUTION_GROUPS, INSTITUTION_INDICATORS, Method, load_method
from scoring.policy import Policy, load_policy
from scoring.robustness import drop_one, robustness

ROBUST = ["median_rank", "rank_p05", "rank_p95", "selection_share"]
SCORES = ["score", "composite", "deduction", "rank", "competition_rank"]
INSTITUTION_HEAD = [
    "inst_id", "name", "peer_group", "status", "status_label", "reason", "eligible", "eligibility_reason",
    "loans_in_year", *SCORES, "grade", "interview", "interview_reason", "selected", "selection_reason",
    "change", "change_label", "bonus", *ROBUST,
]
DISTRICT_HEAD = ["district_code", "name", *SCORES, "median_rank", "rank_p05", "rank_p95"]
# Whole numbers shown as such (nullable: unscored rows have no rank).
COUNTS = [
    "loans_in_year", "rank", "competition_rank", "median_rank", "rank_p05", "rank_p95",
    "V3_raw", "V3_enterprises", "V3_inclusive", "T1_projects", "S1_met", "S1_breached", "S2_disbursements",
    "E1_eligible", "E1_simplified", "I1_products", "I1_cases",
    "D3_raw", "D4_pooled", "D4_financed", "D5_met", "D5_breached",
]
GROUP_LABELS = {"bank": "银行业金融机构", "leasing": "融资租赁机构"}
MEASURES = ("raw", "norm", "contrib")  # per indicator: raw value, normalised 0–100, points of the composite


def indicator_columns(ids, parts) -> list[str]:
    """`<id>_raw`, `<id>_norm`, `<id>_contrib` per indicator, then the parts they are built from."""
    return [f"{i}_{m}" for i in ids for m in MEASURES] + list(parts)


INSTITUTION_COLUMNS = INSTITUTION_HEAD + indicator_columns(INSTITUTION_INDICATORS, indicators.PARTS)
DISTRICT_COLUMNS = DISTRICT_HEAD + indicator_columns(DISTRICT_INDICATORS, districts.PARTS)


@dataclass(frozen=True)
class Evaluation:
    year: int
    as_of: date  # the day the "3个1" stages are judged (R10)
    method: Method
    draws: int
    seed: int
    cooperating: frozenset  # the list of `year` the selection is compared with
    institutions: pd.DataFrame  # one row per bank and leasing company, INSTITUTION_HEAD + indicator columns
    districts: pd.DataFrame  # one row per unit, DISTRICT_HEAD + indicator columns
    drop_one: pd.DataFrame  # inst_id, peer_group, dropped, rank, base_rank, shift
    until: date  # the year-to-date cut-off: what happened after it is not counted
    policy: Policy  # whose "3个1" time limits judged the stages (R10)


def evaluate(con: duckdb.DuckDBPyConnection, year: int, method: Method | str | Path | None = None,
             as_of: date | None = None, draws: int | None = None, seed: int | None = None,
             until: date | None = None, policy: Policy | str | Path | None = None) -> Evaluation:
    """The evaluation of `year` (R12–R16) on the data in `con`; `method` a Method, TOML text or file.

    `until` (a day of `year`, default its last) is the year-to-date cut-off; the stages are
    judged as of `as_of`, by default the cut-off (or today while it is still to come).
    `draws=0` skips the robustness re-runs: the ROBUST columns are then empty.
    """
    method = method if isinstance(method, Method) else load_method(method)
    policy = policy if isinstance(policy, Policy) else load_policy(policy)
    until = indicators.cut_off(year, until)
    as_of = as_of or indicators.default_as_of(year, until)
    draws = method.robustness.draws if draws is None else draws
    seed = method.robustness.seed if seed is None else seed

    indicators.prepare(con, year, method, as_of, until, policy)
    raw = indicators.raw_indicators(con, year, method, as_of, until)
    deductions = lines.deductions(indicators.flag_counts(con, year), method.flags.deduct)
    before = cooperating(con, year)
    rated = [_rate_group(raw[raw["peer_group"] == group], method, group, deductions, before, draws, seed)
             for group in INSTITUTION_GROUPS]
    race = _district_race(districts.district_indicators(con, year, method, until), method, draws, seed)
    institutions = pd.concat([table for table, _ in rated], ignore_index=True)
    return Evaluation(
        year=year, as_of=as_of, method=method, draws=draws, seed=seed, cooperating=before,
        institutions=with_counts(institutions.reindex(columns=INSTITUTION_COLUMNS)),
        districts=with_counts(race),
        drop_one=pd.concat([shifts for _, shifts in rated], ignore_index=True),
        until=until, policy=policy,
    )


def cooperating(con: duckdb.DuckDBPyConnection, year: int) -> frozenset:
    """The cooperating institutions of `year` (揭榜 call or last year's published evaluation)."""
    return frozenset(con.execute(sql("indicators/cooperating"), {"year": year}).df()["inst_id"])


def score_table(raw: pd.DataFrame, method: Method, group: str, draws: int, seed: int,
                eligible: pd.Series | None = None, deductions: pd.Series | None = None) -> pd.DataFrame:
    """Scores, ranks, normalised values, contributions and rank robustness of the rows of `raw`.

    `raw` is indexed by id and holds only the rows to be scored. Columns: SCORES,
    `<id>_norm` and `<id>_contrib` per indicator of the group, and ROBUST.
    """
    ids = [i.id for i in method.indicators_for(group)]
    columns = SCORES + [f"{i}_{m}" for i in ids for m in MEASURES[1:]] + ROBUST
    if raw.empty:
        return pd.DataFrame(columns=columns, index=raw.index, dtype=float)
    scored = score_group(raw, method, group, deductions)
    robust = robustness(raw, method, group, draws, seed, eligible, deductions).set_index(raw.index.name)
    table = pd.concat([
        scored.score, scored.composite, scored.deduction, scored.rank, scored.competition_rank,
        scored.normalised.add_suffix("_norm"), scored.contribution.add_suffix("_contrib"), robust,
    ], axis=1)
    return table[columns]


def _rate_group(raw: pd.DataFrame, method: Method, group: str, deductions: pd.Series, before: frozenset,
                draws: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One peer group: scores for the scored, then lines (R13–R15) for everyone."""
    raw = raw.set_index("inst_id")
    scored_raw = raw[raw["status"] == "scored"]
    scores = score_table(scored_raw, method, group, draws, seed, raw["eligible"], deductions)
    table = raw.join(scores.astype({"deduction": float}))
    table = table.join(_grades(table, method))
    table = table.join(_selection(table, method, before))
    table["bonus"] = lines.bonus(table["score"], method.bonus.start, method.bonus.full, method.bonus.points,
                                 method.bonus.decimals)
    shifts = drop_one(scored_raw, method, group, deductions).assign(peer_group=group)
    table = table.rename(columns={i: f"{i}_raw" for i in INSTITUTION_INDICATORS})
    return table.reset_index().sort_values(["rank", "inst_id"], na_position="last"), shifts


def _grades(table: pd.DataFrame, method: Method) -> pd.DataFrame:
    """R15: grade bands of the published score; 约谈 for the listed grades or "3个1" compliance below the line.

    Compliance is judged for everyone with stages due, scored or not: a vetoed or thinly
    active institution that misses the time limits is still called in.
    """
    grade = lines.grade(table["score"], method.lines.grades, method.lines.lowest_grade)
    rule = method.interview
    return pd.DataFrame({
        "grade": grade,
        "interview": lines.interview(grade, table["S1"], rule.grades, rule.compliance_below),
        "interview_reason": lines.interview_reasons(grade, table["S1"], rule.grades, rule.compliance_below),
    })


def _selection(table: pd.DataFrame, method: Method, before: frozenset) -> pd.DataFrame:
    """R13: next year's list and, for each institution, why it is or is not on it; stays / joins / leaves."""
    chosen = lines.selection_table(table["score"], table["eligible"], method.lines.qualifying,
                                   method.selection.k_min, method.selection.k_max, table["rank"],
                                   vetoed=table["status"] == "vetoed")
    unscored = table["status"] != "scored"
    ineligible = ~table["eligible"] & ~unscored
    moves = lines.change(table.index[chosen["selected"]], before & set(table.index)).set_index("inst_id")
    return pd.DataFrame({
        "selected": chosen["selected"],
        "selection_reason": np.select([unscored, ineligible], [table["reason"], table["eligibility_reason"]],
                                      chosen["reason"]),
        "change": moves["change"].reindex(table.index),
        "change_label": moves["change_label"].reindex(table.index),
    }, index=table.index)


def _district_race(raw: pd.DataFrame, method: Method, draws: int, seed: int) -> pd.DataFrame:
    """R16: all units scored on D1–D5 with the method's district weights and normalisations."""
    raw = raw.set_index("district_code")
    table = raw.join(score_table(raw, method, "district", draws, seed).drop(columns=["selection_share"]))
    table = table.rename(columns={i: f"{i}_raw" for i in DISTRICT_INDICATORS})
    table = table.reset_index().sort_values(["rank", "district_code"])
    return table.reindex(columns=DISTRICT_COLUMNS).reset_index(drop=True)


def with_counts(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with its COUNTS columns as nullable integers."""
    present = [c for c in COUNTS if c in table.columns]
    return table.astype({c: "Int64" for c in present})

