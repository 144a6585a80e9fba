"""Data quality of each institution's reports: the rules a supervisor uses to doubt a report,
each with an id, a Chinese explanation and the rows that break it, and a score per institution
and year (issue 11 §3).

| id | rule | table | query |
|---|---|---|---|
| Q1 | rate implausible against the matching-tenor LPR (or the reported LPR is not the published one) | loans | quality/rate_vs_lpr |
| Q2 | registration, connection and decision on the same day, in bulk | applications | quality/same_day_bulk |
| Q3 | milestones out of order across application and loan, or after disbursement | loans | quality/milestone_order |
| Q4 | interest inconsistent with amount × rate × period | interest_payments | quality/interest_vs_terms |
| Q5 | loan reported long after it was signed | loans | quality/late_report |
| Q6 | near-duplicate enterprises or loans | enterprises, loans | quality/near_duplicates |
| Q7 | agri-small re-lending data errors (R8) | loans | `scoring.subsidy.relending_check` |
| Q8 | sudden jump in volume in the last days of a quarter | loans (institution × quarter) | quality/period_end_spike |

A finding belongs to the year of its row (loans: signed; applications: registered; payments: paid).

**Score** (0–100, absolute): each rule can cost at most 100/8 = 12.5 points, in proportion to the
share of the rows it examined that break it, the full 12.5 from `FULL_LOSS_SHARE` (5 %) up:
`score = 100 − Σ_rule 12.5 × min(1, broken_rows / examined_rows / 0.05)`. An institution with no
rows examined scores 100 (nothing to doubt). The thresholds of the rules are `THRESHOLDS`.

**Evaluation** (method file, off by default): `[flags] quality_deduct = 0.1` turns each finding of the
year into a deduction of 0.1 point beside the existing 1 point per `data_quality` flag, at most
`quality_deduct_max` (default 5) points per institution. `scoring.evaluation` applies it; without
the setting nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from scoring import engine, shared
from scoring.access import REGULATOR, Scope
from scoring.db import ROOT
from scoring.policy import Policy, load_policy
from scoring.subsidy import relending_check

LPR_FILE = ROOT / "data" / "reference" / "lpr.csv"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # what the rule doubts, as a supervisor says it
    table: str
    query: str | None
    examined: str  # the column of quality/examined that is its denominator


RULES = {rule.id: rule for rule in (
    Rule("Q1", "利率与同期限LPR明显不符（或报送的LPR不是签约日公布值）", "loans", "quality/rate_vs_lpr", "loans"),
    Rule("Q2", "登记、对接、审批同日批量完成，疑似事后补录", "applications", "quality/same_day_bulk", "applications"),
    Rule("Q3", "申请与贷款的办理节点顺序颠倒，或在放款后才对接、审批", "loans", "quality/milestone_order", "linked"),
    Rule("Q4", "付息金额与合同金额×利率×计息天数不符", "interest_payments", "quality/interest_vs_terms", "payments"),
    Rule("Q5", "贷款签约后过久才报送", "loans", "quality/late_report", "loans"),
    Rule("Q6", "企业或贷款疑似重复报送", "loans", "quality/near_duplicates", "loans"),
    Rule("Q7", "支农支小再贷款数据错误（R8）", "loans", None, "loans"),
    Rule("Q8", "季末最后几天放量异常", "loans", "quality/period_end_spike", "quarters"),
)}

THRESHOLDS = {
    "bank_below": 0.015,  # Q1: a bank loan more than 150 bp below the LPR …
    "bank_above": 0.04,  # … or more than 400 bp above it
    "lease_above": 0.08,  # Q1: a lease below the LPR or more than 800 bp above it
    "bulk_count": 3,  # Q2: at least 3 same-day applications of one institution on one day
    "interest_tolerance": 0.02,  # Q4: 2 % over act/360 (day-count conventions differ by 1.4 %)
    "late_days": 60,  # Q5: first reported more than 60 days after signing
    "spike_days": 5,  # Q8: the quarter's last 5 calendar days …
    "spike_share": 0.4,  # … holding at least 40 % of its signed amount …
    "spike_count": 5,  # … and at least 5 loans
}
FULL_LOSS_SHARE = 0.05
POINTS_PER_RULE = 100 / len(RULES)
FINDING_COLUMNS = ["inst_id", "rule_id", "table", "key", "explanation", "rule_title", "detail", "year",
                   "district_code"]


def findings(con: duckdb.DuckDBPyConnection, year: int, scope: Scope, policy: Policy | None = None) -> pd.DataFrame:
    """One row per finding of `year` within `scope`: FINDING_COLUMNS, the explanation in Chinese
    (the rule and what this row shows), ordered by institution, rule and key. `policy` sets R8's
    credit line (Q7); default the built-in policy. Kept per data version and scope where results are
    shared (`scoring.shared`): every regulator's and bank's 今日提醒 panel lists them, and the eight
    checks take over a second at a million loans."""
    policy = policy or load_policy()
    return shared.frame(con, "quality/findings", (int(year), scope.key, policy.sha256),
                        lambda: _findings(con, year, scope, policy), at_import=True)


def _findings(con: duckdb.DuckDBPyConnection, year: int, scope: Scope, policy: Policy) -> pd.DataFrame:
    parts = []
    with engine.session(con) as session:
        session.register("lpr_table", _lpr())
        for rule in RULES.values():
            if rule.query:
                found = session.query(rule.query, scope=scope, year=int(year), **THRESHOLDS)
            else:
                found = _relending(session, year, scope, policy)
            parts.append(found.assign(rule_id=rule.id))
    frame = pd.concat(parts, ignore_index=True)
    frame["rule_title"] = frame["rule_id"].map(lambda r: RULES[r].title)
    frame["explanation"] = frame["rule_title"] + "：" + frame["detail"]
    frame["year"] = int(year)
    frame = frame.rename(columns={"table_name": "table", "row_key": "key"}).reindex(columns=FINDING_COLUMNS)
    return frame.sort_values(["inst_id", "rule_id", "key"], na_position="last").reset_index(drop=True)


def _relending(session, year: int, scope: Scope, policy: Policy) -> pd.DataFrame:
    """Q7 from the subsidy engine's own R8 check, the loans signed in `year`."""
    errors = relending_check(session, scope=scope, policy=policy)
    errors = errors[errors["signed_on"].map(lambda d: d.year) == int(year)]
    return pd.DataFrame({"inst_id": errors["inst_id"], "district_code": errors["district_code"],
                         "table_name": "loans", "row_key": errors["loan_id"], "detail": errors["reason_text"]})


def _lpr() -> pd.DataFrame:
    table = pd.read_csv(LPR_FILE, dtype=str)
    return pd.DataFrame({"effective_from": pd.to_datetime(table["effective_from"]).dt.date,
                         "one_year": table["one_year"].astype(float), "five_year": table["five_year"].astype(float)})


def scores(con: duckdb.DuckDBPyConnection, year: int, scope: Scope, found: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per bank and leasing company in `scope`: rows examined, findings per rule (`Q1`…`Q8`),
    `findings` in all and the data-quality `quality_score` (0–100; see the module's docstring)."""
    examined = engine.query(con, "quality/examined", scope=scope, year=int(year)).set_index("inst_id")
    found = findings(con, year, scope) if found is None else found
    counts = found.groupby(["inst_id", "rule_id"]).size().unstack(fill_value=0).reindex(
        index=examined.index, columns=list(RULES), fill_value=0)
    lost = pd.Series(0.0, index=examined.index)
    for rule in RULES.values():
        base = examined[rule.examined].astype(float)
        share = (counts[rule.id] / base.where(base > 0)).fillna(0.0)
        lost += POINTS_PER_RULE * (share / FULL_LOSS_SHARE).clip(upper=1.0)
    table = examined.join(counts)
    table["findings"] = counts.sum(axis=1)
    table["quality_score"] = (100 - lost).round(1)
    return table.reset_index()


def deductions(con: duckdb.DuckDBPyConnection, year: int, per_finding: float, at_most: float) -> pd.Series:
    """The evaluation's deduction per institution from its findings of `year` (method setting
    `flags.quality_deduct`, off by default): per_finding × findings, at most `at_most`."""
    counts = findings(con, year, REGULATOR).groupby("inst_id").size()
    return (counts * per_finding).clip(upper=at_most).rename("quality")
