"""The evaluation results workbook for people (评价结果.xlsx): what a regulator forwards as it is.

One sheet per peer group (银行业金融机构, 融资租赁机构) and one for the district race, each
with Chinese headers, units in the header, 亿元 and % formats, a frozen header row and
widths to the content; and a sheet with the method, its hash, the data fingerprint and the
method text, so the figures can be traced to the rules and rows they came from. The
machine-readable tables (CSV or Parquet, snake_case columns, raw yuan and fractions) are
written by `scoring.runs.write_machine_readable`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.contract import TIER_LABELS
from scoring.evaluation import GROUP_LABELS
from scoring.export import Column, write_people_workbook
from scoring.method import Method

def unit_of(method: Method, indicator_id: str) -> tuple[str, str]:
    """An indicator's unit for a header and its cell kind, from the indicator registry: amounts in
    亿元, shares and growth as %, whole numbers as such, anything else a number in its unit word."""
    record = method.registry.get(indicator_id)
    if record.unit == "yi":
        return "亿元", "yi"
    if record.unit == "percent":
        return "%", "percent"
    return record.unit, "int" if record.count else "number"


SHEET_FACTS = "评价办法与数据"


def _indicator_columns(method: Method, ids) -> list[Column]:
    """Each indicator's raw value in its unit, then its 0–100 score and the points it adds to the composite."""
    raw = [Column(f"{i}_raw", f"{i} {method.indicator(i).name}（{unit_of(method, i)[0]}）", unit_of(method, i)[1])
           for i in ids]
    scored = [Column(f"{i}_norm", f"{i} 得分（0–100）", "score") for i in ids]
    points = [Column(f"{i}_contrib", f"{i} 贡献（分）", "score") for i in ids]
    return raw + scored + points


def institution_columns(method: Method, group: str) -> list[Column]:
    ids = [ind.id for ind in method.indicators_for(group)]
    return [
        Column("rank", "名次", "int"), Column("name", "机构名称"), Column("tier_label", "同类机构"),
        Column("status_label", "参评状态"), Column("score", "综合得分", "score"), Column("grade", "等级"),
        Column("deduction", "扣分", "score"), Column("bonus", "监管评价加分", "score"),
        Column("interview", "列入约谈", "yes_no"), Column("interview_reason", "约谈事由"),
        Column("selected", "入选下一年度合作机构", "yes_no"), Column("change_label", "与本年度名单相比"),
        Column("selection_reason", "遴选说明"), Column("rank_range", "名次 5%–95% 区间"),
        Column("selection_share", "稳健性重算中入选的比例", "percent"),
        Column("loans_in_year", "当年技改专项贷笔数", "int"), Column("reason", "未评分原因"),
        *_indicator_columns(method, ids),
        Column("inst_id", "机构编号"),
    ]


def district_columns(method: Method) -> list[Column]:
    return [Column("rank", "名次", "int"), Column("name", "区县"), Column("score", "综合得分", "score"),
            *_indicator_columns(method, [ind.id for ind in method.indicators_for("district")]),
            Column("district_code", "区县代码")]


def _rank_range(table: pd.DataFrame) -> pd.Series:
    low, high = table["rank_p05"], table["rank_p95"]
    text = low.map(lambda v: f"{v:.0f}" if pd.notna(v) else "") + "–" + high.map(
        lambda v: f"{v:.0f}" if pd.notna(v) else "")
    return text.where(low.notna(), "")


BASIS = ("技改专项贷 = 投向已备案技改项目的制造业企业、于评价年度内发放的贷款和直租"
         "（与各页面“技改专项贷投放”同一口径，R12）")


def facts_sheet(run, facts: pd.DataFrame) -> pd.DataFrame:
    """The run's facts (method, hashes, data fingerprint), the amount basis, then the method text line by line."""
    lines = pd.DataFrame({"项目": "评价办法原文", "内容": run.method.text.splitlines()})
    return pd.concat([facts, pd.DataFrame({"项目": ["金额口径"], "内容": [BASIS]}), lines], ignore_index=True)


def write_results_workbook(run, method: Method, facts: pd.DataFrame, path: str | Path) -> Path:
    """评价结果.xlsx of an evaluation result (see the module docstring); `facts` one fact a row (项目, 内容)."""
    table = run.institutions.assign(
        tier_label=lambda t: t["tier"].map(TIER_LABELS) if "tier" in t.columns else "",
        rank_range=_rank_range)
    sheets, notes = {}, {}
    for group, label in GROUP_LABELS.items():
        rows = table[table["peer_group"] == group].sort_values(["rank", "inst_id"], na_position="last")
        sheets[label] = (rows, institution_columns(method, group))
        notes[label] = (f"{run.year} 年度 {label}综合评价结果（{run.run_id or '实时测算'}）。金额为当年发放的技改专项贷；"
                        "得分为按评价办法目标区间折算的 0–100 分，贡献之和等于综合得分。")
    districts = run.districts.sort_values(["rank", "district_code"])
    sheets["区县赛马"] = (districts, district_columns(method))
    notes["区县赛马"] = f"{run.year} 年度区县赛马（R16）结果（{run.run_id or '实时测算'}）。D1 为本区县企业获得的技改专项贷。"
    sheets[SHEET_FACTS] = (facts_sheet(run, facts), [Column("项目", "项目"), Column("内容", "内容")])
    return write_people_workbook(sheets, path, notes)
