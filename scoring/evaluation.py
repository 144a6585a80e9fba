"""The comprehensive evaluation of one year, one pipeline read top to bottom (R12–R16).

As in COINr, every step is a function of the one before:

    raw indicators (SQL, `scoring.indicators`; which ones: the method's registry)
    → exclusions (vetoed, under the minimum data: listed, not scored)
    → per peer group: normalise, weight, aggregate, deduct (`scoring.aggregate.score_group`)
    → ranks → grades and the 约谈 list (R15)
    → selection (R13) against the cooperating list of the year: stays / joins / leaves
    → bonus points (R14)
    → robustness of each rank (`scoring.robustness`) and drop-one shifts
    → the district race (R16, `scoring.districts`)
    → one `Result` of tidy tables

`evaluate` returns a `Result`; `scoring.runs` stores it and reads it back as it is (the
live and the stored evaluation are the same type, shown and written by the same code).
Nothing here writes to the database: the queries run in a session of their own
(`scoring.engine.session`).

The `Period` says what is counted: the year up to its cut-off `until` (the end of the year
by default; the monthly horse race, `scoring.race`, uses each month's end) and the day the
"3个1" stages are judged; the district race (R16) stops at the same day, its growth compared
with the same period of the year before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from scoring import dashboard, districts, engine, indicators, lines, quality, sla
from scoring.aggregate import score_group
from scoring.method import INSTITUTION_GROUPS, Method, load_method
from scoring.period import Period
from scoring.policy import Policy, load_policy
from scoring.registry import MEASURES, Registry
from scoring.robustness import drop_one, robustness

ROBUST = ["median_rank", "rank_p05", "rank_p95", "selection_share"]
SCORES = ["score", "composite", "deduction", "rank", "competition_rank"]
INSTITUTION_HEAD = [
    "inst_id", "name", "peer_group", "tier", "status", "status_label", "reason", "eligible", "eligibility_reason",
    "loans_in_year", *SCORES, "grade", "interview", "interview_reason", "selected", "selection_reason",
    "change", "change_label", "bonus", *ROBUST,
]
DISTRICT_HEAD = ["district_code", "name", *SCORES, "median_rank", "rank_p05", "rank_p95"]
# Whole numbers of the heads shown as such (nullable: unscored rows have no rank); the
# indicators' whole numbers are their registry records'.
HEAD_COUNTS = ["loans_in_year", "rank", "competition_rank", "median_rank", "rank_p05", "rank_p95"]
GROUP_LABELS = {"bank": "银行业金融机构", "leasing": "融资租赁机构"}
INDICATOR_COLUMNS = ["subject", "subject_id", "indicator", "raw", "normalised", "contribution"]
STORED = {"raw": "raw", "norm": "normalised", "contrib": "contribution"}  # wide suffix → long column
DROP_ONE_COLUMNS = ["inst_id", "peer_group", "dropped", "rank", "base_rank", "shift"]


@dataclass(frozen=True)
class Subject:
    """How one kind of result (institutions or districts) is keyed and headed."""

    name: str  # institution | district
    id_column: str
    head: list[str]


SUBJECTS = {"institution": Subject("institution", "inst_id", INSTITUTION_HEAD),
            "district": Subject("district", "district_code", DISTRICT_HEAD)}


@dataclass(frozen=True)
class RunFacts:
    """What a stored run adds to its evaluation: its id, the data fingerprint, its times."""

    run_id: str
    data_sha256: str
    data_tables: dict  # table → {"rows": n, "checksum": the sum of its row hashes}
    created_at: datetime
    published_at: datetime | None
    supersedes: str | None = None  # the published run this corrected run replaced (issue 15 §4)
    superseded_by: str | None = None  # the corrected run that replaced this one
    correction_reason: str | None = None  # why this corrected run exists


@dataclass(frozen=True)
class Result:
    """One evaluation, live or stored: what it was computed from and four tidy tables.

    `institution_rows` and `district_rows` hold one row per subject (the head columns);
    `indicators` one row per subject and indicator (raw, normalised, contribution) or part
    (raw only); `drop_one` one row per institution and left-out indicator. `institutions`
    and `districts` spread the indicators beside the heads, for pages and files.
    """

    period: Period
    method: Method
    policy: Policy | None  # None for runs stored before the policy was kept
    draws: int
    seed: int
    institution_rows: pd.DataFrame
    district_rows: pd.DataFrame
    indicators: pd.DataFrame
    drop_one: pd.DataFrame
    run: RunFacts | None = field(default=None)

    @classmethod
    def of(cls, period: Period, method: Method, policy: Policy | None, draws: int, seed: int,
           institution_rows: pd.DataFrame, district_rows: pd.DataFrame, indicators_long: pd.DataFrame,
           drop_one_rows: pd.DataFrame, run: RunFacts | None = None) -> Result:
        """A result with every table in its one shape and order, whether computed or read back."""
        return cls(period, method, policy, int(draws), int(seed),
                   _head(institution_rows, SUBJECTS["institution"]), _head(district_rows, SUBJECTS["district"]),
                   _long(indicators_long), _shifts(drop_one_rows), run)

    @cached_property
    def institutions(self) -> pd.DataFrame:
        """One row per bank and leasing company: the head, then `<id>_raw/_norm/_contrib` and parts."""
        return self.wide("institution")

    @cached_property
    def districts(self) -> pd.DataFrame:
        return self.wide("district")

    def wide(self, subject: str) -> pd.DataFrame:
        spec = SUBJECTS[subject]
        rows = self.institution_rows if subject == "institution" else self.district_rows
        return spread(rows, self.indicators[self.indicators["subject"] == subject], spec, self.method.registry)

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def as_of(self):
        return self.period.as_of

    @property
    def until(self):
        return self.period.until

    @property
    def run_id(self) -> str | None:
        return self.run.run_id if self.run else None

    @property
    def published(self) -> bool:
        return self.run is not None and self.run.published_at is not None


def evaluate(con: duckdb.DuckDBPyConnection, period: Period | int, method: Method | str | Path | None = None,
             draws: int | None = None, seed: int | None = None,
             policy: Policy | str | Path | None = None) -> Result:
    """The evaluation of `period` (R12–R16; a year alone = that whole year) on the data in `con`;
    `method` and `policy` objects, TOML text or files (default: the built-in files).
    `draws=0` skips the robustness re-runs: the ROBUST columns are then empty.
    """
    period = period if isinstance(period, Period) else Period.of(period)
    method = method if isinstance(method, Method) else load_method(method)
    policy = policy if isinstance(policy, Policy) else load_policy(policy)
    return score(period, method, policy, read_inputs(con, period, method, policy), draws, seed)


@dataclass(frozen=True)
class Inputs:
    """What an evaluation reads from the database, before any scoring: the raw indicators of the
    institutions (with their exclusions) and of the districts, the deductions and the year's
    cooperating list. A projection (`scoring.forecast`) scores inputs of its own making."""

    raw: pd.DataFrame
    district_raw: pd.DataFrame
    deductions: pd.Series
    before: frozenset


# the district inputs of institutions read alone (`institution_inputs`): no unit, so no race is scored
NO_DISTRICTS = pd.DataFrame({"district_code": pd.Series(dtype=object)})


def read_inputs(con: duckdb.DuckDBPyConnection, period: Period, method: Method, policy: Policy) -> Inputs:
    """The SQL half of the evaluation of `period`."""
    with engine.session(con) as session:  # the staging views are built once for every query below
        _read_kept(session, period, method, policy)
        inputs = institution_inputs(session, period, method, policy)
        return replace(inputs, district_raw=districts.district_indicators(session, period, method, policy))


def _read_kept(session: engine.Session, period: Period, method: Method, policy: Policy) -> None:
    """The 技改专项贷 to the period's cut-off and the stages judged on its as-of day, read in place where the file
    keeps them for the data as they stand, else built by the session as before. Each import keeps both for 31
    December of the year before, and `init --demo` for the year it publishes: what the annual evaluation reads
    (about 1 s of the command's 2.4 s at a million loans)."""
    dashboard.read_kept_eval_loans(session, period.until)
    sla.read_kept(session, period.as_of, week=method.sla_week, policy=policy)


def institution_inputs(con: duckdb.DuckDBPyConnection, period: Period, method: Method, policy: Policy) -> Inputs:
    """`read_inputs` without the districts (NO_DISTRICTS): a bank's year-end projection reads nothing else."""
    with engine.session(con) as session:
        raw, deductions = _institution_inputs(session, period, method, policy)
        return Inputs(raw, NO_DISTRICTS, deductions, cooperating(session, period.year))


def _institution_inputs(session: engine.Session, period: Period, method: Method,
                        policy: Policy) -> tuple[pd.DataFrame, pd.Series]:
    """What the institutions' scores read: their raw indicators and their deductions."""
    return indicators.raw_indicators(session, period, method, policy), _deductions(session, period.year, method)


def _deductions(session: engine.Session, year: int, method: Method) -> pd.Series:
    """Each institution's deduction for the year's flags (and data-quality findings, where the method says)."""
    deductions = lines.deductions(indicators.flag_counts(session, year), method.flags.deduct)
    if method.flags.quality_deduct:  # data-quality findings as deductions: a method setting, off by default
        deductions = deductions.add(quality.deductions(session, year, method.flags.quality_deduct,
                                                       method.flags.quality_deduct_max), fill_value=0).rename("deduction")
    return deductions


SCORE_COLUMNS = ["inst_id", "name", "peer_group", "score", "rank"]


def institution_scores(con: duckdb.DuckDBPyConnection, period: Period, method: Method,
                       policy: Policy) -> pd.DataFrame:
    """Each institution's score and rank in its peer group (R12) as the evaluation of `period` has
    them (`evaluate(...).institution_rows`, SCORE_COLUMNS, NaN for the unscored), without what an
    evaluation adds around them (lines, robustness, drop-one shifts, the cooperating list, the
    district race)."""
    return institution_scores_at(con, [period], method, policy).drop(columns="until")


def institution_scores_at(con: duckdb.DuckDBPyConnection, periods: list[Period], method: Method,
                          policy: Policy) -> pd.DataFrame:
    """`institution_scores` at each of `periods` (cut-offs of one year), a column `until` in front: the
    composite race's month ends (`scoring.race`), their raw indicators read in one pass
    (`indicators.raw_indicators_at`) and each scored on its own."""
    with engine.session(con) as session:
        raw = indicators.raw_indicators_at(session, periods, method, policy)
        deductions = _deductions(session, periods[0].year, method)
    frames = [_head(_placed(rows.drop(columns="until").reset_index(drop=True), method, deductions),
                    SUBJECTS["institution"])[SCORE_COLUMNS].assign(until=until)
              for until, rows in raw.groupby("until", sort=True)]
    return pd.concat(frames, ignore_index=True)[["until", *SCORE_COLUMNS]]


def placings(inputs: Inputs, method: Method) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each institution's score, rank and selection (R12, R13: inst_id, score, rank, selected) and each
    district's score and rank (R16: district_code, score, rank) from `inputs`, as `score` has them,
    without what it adds around them (grades and their reasons, drop-one shifts, robustness, the tidy
    indicators): the year-end projection scores fifty resampled years with it (`scoring.forecast`),
    and the rest took two thirds of each draw."""
    institutions = _head(_placed(inputs.raw, method, inputs.deductions, selection=True), SUBJECTS["institution"])
    return institutions[["inst_id", "score", "rank", "selected"]], district_placings(inputs.district_raw, method)


def district_placings(raw: pd.DataFrame, method: Method) -> pd.DataFrame:
    """Each district's score and rank (R16: district_code, score, rank) from its raw indicators, as
    `score` has them: `placings`' districts, for a projection of the districts alone."""
    return _head(district_race(raw, method), SUBJECTS["district"])[["district_code", "score", "rank"]]


def _placed(raw: pd.DataFrame, method: Method, deductions: pd.Series, selection: bool = False) -> pd.DataFrame:
    """`raw` with each institution's score and rank in its peer group (R12) and, with `selection`,
    whether R13 selects it, in the order of `score`'s rows."""
    tables = []
    for group in INSTITUTION_GROUPS:
        rows = raw[raw["peer_group"] == group].set_index("inst_id")
        scores = score_table(rows[rows["status"] == "scored"], method, group, 0, 0, rows["eligible"], deductions)
        table = rows.join(scores[["score", "rank"]])
        if selection:
            table["selected"] = _chosen(table, method)["selected"]
        tables.append(table.reset_index().sort_values(["rank", "inst_id"], na_position="last"))
    return pd.concat(tables, ignore_index=True)


def score(period: Period, method: Method, policy: Policy | None, inputs: Inputs, draws: int | None = None,
          seed: int | None = None) -> Result:
    """The scoring half: normalise, aggregate, lines, robustness and the district race of `inputs`."""
    draws = method.robustness.draws if draws is None else draws
    seed = method.robustness.seed if seed is None else seed
    raw = inputs.raw
    rated = [_rate_group(raw[raw["peer_group"] == group], method, group, inputs.deductions, inputs.before, draws, seed)
             for group in INSTITUTION_GROUPS]
    race = _district_race(inputs.district_raw, method, draws, seed)
    institutions = pd.concat([table for table, _ in rated], ignore_index=True)
    return Result.of(
        period, method, policy, draws, seed, institutions, race,
        pd.concat([tidy_indicators(institutions, "institution", method.registry),
                   tidy_indicators(race, "district", method.registry)], ignore_index=True),
        pd.concat([shifts for _, shifts in rated], ignore_index=True),
    )


def cooperating(con: duckdb.DuckDBPyConnection, year: int) -> frozenset:
    """The cooperating institutions of `year` (揭榜 call or last year's published evaluation)."""
    return frozenset(engine.query(con, "indicators/cooperating", scope=None, year=year)["inst_id"])


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
    table = table.rename(columns={i: f"{i}_raw" for i in method.registry.ids("institution")})
    return table.reset_index().sort_values(["rank", "inst_id"], na_position="last"), shifts


def _grades(table: pd.DataFrame, method: Method) -> pd.DataFrame:
    """R15: grade bands of the published score; 约谈 for the listed grades or "3个1" compliance below the line.

    Compliance is judged for everyone with stages due, scored or not: a vetoed or thinly
    active institution that misses the time limits is still called in.
    """
    grade = lines.grade(table["score"], method.lines.grades, method.lines.lowest_grade)
    rule = method.interview
    why = "（" + table["score"].map(lambda v: f"{v:.2f}") + "分），" + _weakest(table, method)
    return pd.DataFrame({
        "grade": grade,
        "interview": lines.interview(grade, table["S1"], rule.grades, rule.compliance_below),
        "interview_reason": lines.interview_reasons(grade, table["S1"], rule.grades, rule.compliance_below, why),
    })


def _weakest(table: pd.DataFrame, method: Method, count: int = 2) -> pd.Series:
    """Per row, the indicators that cost it most points (weight share × (100 − normalised)), in words."""
    group = table["peer_group"].iloc[0] if len(table) else "bank"
    shares = method.weights(group)
    lost = pd.DataFrame({i: 100 * s - table[f"{i}_contrib"] for i, s in shares.items()
                         if f"{i}_contrib" in table.columns}, index=table.index)

    def words(row: pd.Series) -> str:
        worst = row.dropna().sort_values(ascending=False).head(count)
        return "失分最多的是" + "、".join(
            f"{method.indicator(i).name}（得{table.at[row.name, f'{i}_norm']:.0f}分，失{v:.1f}分）"
            for i, v in worst.items())
    return lost.apply(words, axis=1) if len(lost.columns) else pd.Series("", index=table.index)


def _selection(table: pd.DataFrame, method: Method, before: frozenset) -> pd.DataFrame:
    """R13: next year's list and, for each institution, why it is or is not on it; stays / joins / leaves."""
    chosen = _chosen(table, method)
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


def _chosen(table: pd.DataFrame, method: Method) -> pd.DataFrame:
    """R13 over one peer group's scored table: selected, and the reason in words."""
    return lines.selection_table(table["score"], table["eligible"], method.lines.qualifying,
                                 method.selection.k_min, method.selection.k_max, table["rank"],
                                 vetoed=table["status"] == "vetoed")


def district_race(raw: pd.DataFrame, method: Method) -> pd.DataFrame:
    """R16 without robustness re-runs: the units' scores and ranks on D1–D5 (`raw`:
    `districts.district_indicators`), as the evaluation computes them."""
    return _district_race(raw, method, draws=0, seed=0)


def _district_race(raw: pd.DataFrame, method: Method, draws: int, seed: int) -> pd.DataFrame:
    """R16: all units scored on D1–D5 with the method's district weights and normalisations."""
    raw = raw.set_index("district_code")
    table = raw.join(score_table(raw, method, "district", draws, seed).drop(columns=["selection_share"]))
    table = table.rename(columns={i: f"{i}_raw" for i in method.registry.ids("district")})
    return table.reset_index().sort_values(["rank", "district_code"]).reset_index(drop=True)


def tidy_indicators(table: pd.DataFrame, subject: str, registry: Registry) -> pd.DataFrame:
    """The indicator columns of a working table (`<id>_raw/_norm/_contrib`, parts) as rows:
    subject, subject_id, indicator, raw, normalised, contribution (a part has only raw)."""
    ids, parts = list(registry.ids(subject)), list(registry.parts(subject))
    n = len(table)

    def values(column: str) -> np.ndarray:
        return table[column].astype(float).to_numpy() if column in table else np.full(n, np.nan)

    def measured(suffix: str) -> list[np.ndarray]:
        return [values(f"{i}_{suffix}") for i in ids]

    return pd.DataFrame({
        "subject": subject,
        "subject_id": np.tile(table[SUBJECTS[subject].id_column].to_numpy(), len(ids) + len(parts)),
        "indicator": np.repeat(ids + parts, n),
        "raw": np.concatenate([*measured("raw"), *(values(p) for p in parts), np.empty(0)]),
        "normalised": np.concatenate([*measured("norm"), np.full(n * len(parts), np.nan)]),
        "contribution": np.concatenate([*measured("contrib"), np.full(n * len(parts), np.nan)]),
    })


def spread(rows: pd.DataFrame, long: pd.DataFrame, spec: Subject, registry: Registry) -> pd.DataFrame:
    """A subject's head rows with its indicators spread into `<id>_raw/_norm/_contrib` and part columns."""
    ids = registry.ids(spec.name)
    measured = long[long["indicator"].isin(ids)]
    spread_out = [measured.pivot(index="subject_id", columns="indicator", values=stored).add_suffix(f"_{suffix}")
                  for suffix, stored in STORED.items()]
    parts = long[~long["indicator"].isin(ids)].pivot(index="subject_id", columns="indicator", values="raw")
    wide = rows.join(pd.concat([*spread_out, parts], axis=1), on=spec.id_column)
    wide = wide.reindex(columns=spec.head + registry.columns(spec.name))
    present = [c for c in registry.counts() if c in wide.columns]
    return wide.astype({c: "Int64" for c in present})


def _head(rows: pd.DataFrame, spec: Subject) -> pd.DataFrame:
    """A head table in its one shape: its columns in order, whole numbers as nullable integers."""
    frame = rows.reindex(columns=spec.head).reset_index(drop=True)
    return frame.astype({c: "Int64" for c in HEAD_COUNTS if c in frame.columns})


def _shifts(frame: pd.DataFrame) -> pd.DataFrame:
    """The drop-one rows in their one shape and order."""
    frame = frame.reindex(columns=DROP_ONE_COLUMNS).astype(
        {"inst_id": str, "peer_group": str, "dropped": str, "rank": "int64", "base_rank": "int64", "shift": "int64"})
    return frame.sort_values(["peer_group", "inst_id", "dropped"]).reset_index(drop=True)


def _long(frame: pd.DataFrame) -> pd.DataFrame:
    """The indicator rows in their one shape and order."""
    frame = frame.reindex(columns=INDICATOR_COLUMNS).astype(
        {"subject_id": str, "indicator": str, "raw": float, "normalised": float, "contribution": float})
    return frame.sort_values(["subject", "subject_id", "indicator"]).reset_index(drop=True)
