"""Raw indicators of the comprehensive evaluation, one row per bank and leasing company (R12).

The SQL in `queries/indicators/` answers one question per file over all rows of the
year; this module binds the method's settings and puts the answers side by side:

- `eval_loans` — the 技改专项贷 the evaluation reads (TEMP table, built once);
- `exclusions` — status (scored / vetoed / insufficient_data) with a Chinese reason,
  and eligibility for selection (R13) with its reason;
- `volume` V1 V2 M1 (R8), `reach` V3, `commitments` T1, `pricing` P1 P2 (十四),
  `compliance` S1 (R10, from the SLA engine's TEMP `sla_stages`), `products` I1 (R17);
- S2 (median working days registration → disbursement) and E1 (R11 simplified-review
  share) come from the SLA engine (`scoring.sla`).

Every bank and leasing company has a row, with zeros where it lent nothing. Means and
rates with nothing to average stay empty (S1, S2, E1); the method's `aggregation.missing`
decides what an empty value scores.

Year to date (`until`, the end of the year by default): every indicator counts only what
had happened by the cut-off day — loans signed and disbursed by then, stages due by then,
products launched by then — so a month-by-month race scores each month's state of the
year (R12). V2 compares with the same period of the previous year (1 January to the same
day; a month's last day to that month's last day, so 1–2月 2025 meets 1–2月 2024 whole),
and the 揭榜 targets of T1 are taken pro rata to the elapsed share of the year (序时进度).
Facts reported with a year only — flags (vetoes, deductions) and typical cases — count
from January.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import duckdb
import pandas as pd

from scoring import sla
from scoring.db import sql
from scoring.method import INSTITUTION_INDICATORS, Method
from scoring.policy import Policy

FAMILIES = ("volume", "reach", "commitments", "pricing", "compliance", "products")
STATUS_LABELS = {"scored": "参评", "vetoed": "一票否决", "insufficient_data": "数据不足未评分"}

# Sub-measures kept beside the indicators, so every figure can be explained.
PARTS = {
    "V1_before": "上年同期发放金额（元）",
    "V3_enterprises": "服务企业户数",
    "V3_inclusive": "其中小微、民营企业户数",
    "T1_projects": "当年新增项目数",
    "T1_amount": "当年签约金额（元）",
    "P2_key": "重点企业利率优惠（基点）",
    "P2_other": "其他企业利率优惠（基点）",
    "S1_met": "按时办结环节数",
    "S1_breached": "超时环节数",
    "S2_disbursements": "放款笔数",
    "E1_eligible": "可简化审批笔数",
    "E1_simplified": "实际简化审批笔数",
    "I1_products": "创新产品库产品数",
    "I1_share": "创新产品发放占比",
    "I1_cases": "当年典型案例数",
}


def cut_off(year: int, until: date | None = None) -> date:
    """The last day an evaluation of `year` counts: `until`, or the end of the year."""
    if until is None:
        return date(year, 12, 31)
    if until.year != year:
        raise ValueError(f"截止日 {until.isoformat()} 不在评价年度 {year} 年内")
    return until


def year_period(year: int, until: date | None = None) -> tuple[date, date]:
    """1 January to the cut-off."""
    return date(year, 1, 1), cut_off(year, until)


def default_as_of(year: int, until: date | None = None) -> date:
    """The cut-off (the end of the year by default), or today while it is still to come."""
    return min(cut_off(year, until), date.today())


def same_day_last_year(day: date) -> date:
    """The end of the same period a year earlier: a month's last day maps to that month's
    last day (2025-02-28 → 2024-02-29), any other day to the same date (29 February → 28)."""
    days_then = calendar.monthrange(day.year - 1, day.month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(day.year - 1, day.month, days_then)
    return date(day.year - 1, day.month, min(day.day, days_then))


def year_share(until: date) -> float:
    """The elapsed share of `until`'s year, 1 January to `until` counted inclusive (1.0 on 31 December)."""
    first, last = date(until.year, 1, 1), date(until.year, 12, 31)
    return ((until - first).days + 1) / ((last - first).days + 1)


def prepare(con: duckdb.DuckDBPyConnection, year: int, method: Method, as_of: date,
            until: date | None = None, policy: Policy | None = None) -> None:
    """Build the TEMP tables every indicator query reads: `eval_loans` as of the cut-off
    `until` (default the end of the year) and `sla_stages` as of `as_of` under the policy's
    time limits (R10)."""
    con.execute(f"create or replace temp table eval_loans as\n{sql('indicators/eval_loans')}",
                {"until": cut_off(year, until)})
    sla.materialise_stages(con, as_of, method.sla_week, policy=policy)


def exclusions(con: duckdb.DuckDBPyConnection, year: int, method: Method) -> pd.DataFrame:
    """Status and eligibility per institution (METHOD.md "Outside the 100"); needs `prepare`
    (the minimum number of loans counts those disbursed by its cut-off)."""
    params = _params(year, method, "exclusions") | {"veto_kinds": list(method.flags.veto)}
    return con.execute(sql("indicators/exclusions"), params).df()


def flag_counts(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Flags of the year per institution and kind (for the method's deductions), indexed by inst_id."""
    return con.execute(sql("indicators/flags"), {"year": year}).df().set_index("inst_id")


def raw_indicators(con: duckdb.DuckDBPyConnection, year: int, method: Method, as_of: date,
                   until: date | None = None) -> pd.DataFrame:
    """Exclusions, every raw indicator and its parts, one row per institution, year to date
    up to `until` (default the end of the year); needs `prepare` with the same `until`."""
    until = cut_off(year, until)
    frame = exclusions(con, year, method).set_index("inst_id")
    answers = [con.execute(sql(f"indicators/{family}"), _params(year, method, family, until)).df()
               .set_index("inst_id") for family in FAMILIES]
    sla_answers = _from_sla(con, year_period(year, until))
    frame = pd.concat([frame, *answers, sla_answers], axis=1).reindex(frame.index).reset_index()
    counts = ["S2_disbursements", "E1_eligible", "E1_simplified"]  # absent from the SLA answer = none
    frame[counts] = frame[counts].fillna(0).astype(int)
    frame["status_label"] = frame["status"].map(STATUS_LABELS)
    return frame[_column_order(frame)]


def _from_sla(con: duckdb.DuckDBPyConnection, period: tuple[date, date]) -> pd.DataFrame:
    """S2 and E1 over `period` as the SLA engine computes them (R10, R11), under indicator names."""
    cycle = sla.registration_to_disbursement_days(con, period).rename(
        columns={"median_working_days": "S2", "disbursements": "S2_disbursements"})
    simple = sla.simplified_review_share(con, period).rename(
        columns={"simplified_share": "E1", "eligible_approvals": "E1_eligible", "simplified": "E1_simplified"})
    return pd.concat([cycle.set_index("inst_id")[["S2", "S2_disbursements"]],
                      simple.set_index("inst_id")[["E1", "E1_eligible", "E1_simplified"]]], axis=1)


def _params(year: int, method: Method, query: str, until: date | None = None) -> dict:
    """The named parameters `query` binds: DuckDB refuses unused ones."""
    text = sql(f"indicators/{query}")
    until = cut_off(year, until)
    settings = {"year": year, "until": until, "until_last_year": same_day_last_year(until),
                "year_share": year_share(until)} | method.sql_params
    return {name: value for name, value in settings.items() if re.search(rf"\${name}\b", text)}


def _column_order(frame: pd.DataFrame) -> list[str]:
    head = ["inst_id", "name", "peer_group", "status", "status_label", "reason", "eligible",
            "eligibility_reason", "loans_in_year"]
    indicators = [i for i in INSTITUTION_INDICATORS if i in frame.columns]
    parts = [p for p in PARTS if p in frame.columns]
    return head + indicators + parts
