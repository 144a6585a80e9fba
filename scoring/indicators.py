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
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from scoring import sla
from scoring.db import sql
from scoring.method import INSTITUTION_INDICATORS, Method

FAMILIES = ("volume", "reach", "commitments", "pricing", "compliance", "products")
STATUS_LABELS = {"scored": "参评", "vetoed": "一票否决", "insufficient_data": "数据不足未评分"}

# Sub-measures kept beside the indicators, so every figure can be explained.
PARTS = {
    "V1_before": "上年发放金额（元）",
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


def year_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def default_as_of(year: int) -> date:
    """The end of the year, or today while the year is still running."""
    return min(date(year, 12, 31), date.today())


def prepare(con: duckdb.DuckDBPyConnection, year: int, method: Method, as_of: date) -> None:
    """Build the TEMP tables every indicator query reads: `eval_loans` and `sla_stages` (R10)."""
    con.execute(f"create or replace temp table eval_loans as\n{sql('indicators/eval_loans')}", {"year": year})
    sla.materialise_stages(con, as_of, method.sla_week)


def exclusions(con: duckdb.DuckDBPyConnection, year: int, method: Method) -> pd.DataFrame:
    """Status and eligibility per institution (METHOD.md "Outside the 100"); needs `prepare`."""
    params = _params(year, method, "exclusions") | {"veto_kinds": list(method.flags.veto)}
    return con.execute(sql("indicators/exclusions"), params).df()


def flag_counts(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Flags of the year per institution and kind (for the method's deductions), indexed by inst_id."""
    return con.execute(sql("indicators/flags"), {"year": year}).df().set_index("inst_id")


def raw_indicators(con: duckdb.DuckDBPyConnection, year: int, method: Method, as_of: date) -> pd.DataFrame:
    """Exclusions, every raw indicator and its parts, one row per institution; needs `prepare`."""
    frame = exclusions(con, year, method).set_index("inst_id")
    answers = [con.execute(sql(f"indicators/{family}"), _params(year, method, family)).df().set_index("inst_id")
               for family in FAMILIES]
    frame = pd.concat([frame, *answers, _from_sla(con, year)], axis=1).reindex(frame.index).reset_index()
    counts = ["S2_disbursements", "E1_eligible", "E1_simplified"]  # absent from the SLA answer = none
    frame[counts] = frame[counts].fillna(0).astype(int)
    frame["status_label"] = frame["status"].map(STATUS_LABELS)
    return frame[_column_order(frame)]


def _from_sla(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """S2 and E1 as the SLA engine computes them (R10, R11), under indicator names."""
    period = year_period(year)
    cycle = sla.registration_to_disbursement_days(con, period).rename(
        columns={"median_working_days": "S2", "disbursements": "S2_disbursements"})
    simple = sla.simplified_review_share(con, period).rename(
        columns={"simplified_share": "E1", "eligible_approvals": "E1_eligible", "simplified": "E1_simplified"})
    return pd.concat([cycle.set_index("inst_id")[["S2", "S2_disbursements"]],
                      simple.set_index("inst_id")[["E1", "E1_eligible", "E1_simplified"]]], axis=1)


def _params(year: int, method: Method, query: str) -> dict:
    """The named parameters `query` binds: DuckDB refuses unused ones."""
    text = sql(f"indicators/{query}")
    settings = {"year": year} | method.sql_params
    return {name: value for name, value in settings.items() if f"${name}" in text}


def _column_order(frame: pd.DataFrame) -> list[str]:
    head = ["inst_id", "name", "peer_group", "status", "status_label", "reason", "eligible",
            "eligibility_reason", "loans_in_year"]
    indicators = [i for i in INSTITUTION_INDICATORS if i in frame.columns]
    parts = [p for p in PARTS if p in frame.columns]
    return head + indicators + parts
