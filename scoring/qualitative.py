"""Qualitative indicators (issue 15 §3): the institution assesses itself, the regulator reviews.

A qualitative indicator is a record of the indicator registry with `qualitative = true`, a 0–100
scale and Chinese scoring guidance (`scoring/methods/indicators.toml`: Q1 组织保障与政策落实, Q2
创新举措与典型经验). A method that weights one (`scoring/methods/qualitative.toml`) takes the
regulator's final score into the composite through the query `indicators/qualitative`; a method
that weights none leaves its registry without them and evaluates exactly as before.

- `save_self`: the institution's self-score with a written justification and evidence attachments
  (`scoring.evidence`: type and size checked, stored by content hash). Locked once reviewed.
- `review`: the regulator's final score with comments.
- `scores`: self against final, side by side, within the user's scope.
Every step is in the workflow trail.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

import duckdb
import pandas as pd

from scoring import db, engine, evidence, trail, writer
from scoring.access import Scope
from scoring.registry import IndicatorMeta, Registry, load_registry

MAX_TEXT = 5_000  # characters of a justification or a comment


def indicators(registry: Registry | None = None) -> tuple[IndicatorMeta, ...]:
    """The qualitative indicators of the registry (default: the built-in one)."""
    return tuple(r for r in (registry or load_registry()).records if r.qualitative)


def owner(year: int, inst_id: str, indicator: str) -> str:
    return f"Q:{year}:{inst_id}:{indicator}"


def score_value(value, what: str) -> Decimal:
    """A 0–100 score with at most two decimals, or a Chinese error."""
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"{what}应为 0–100 之间的数，实际为“{value}”") from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100) or score != score.quantize(Decimal("0.01")):
        raise ValueError(f"{what}应为 0–100 之间、最多两位小数的数，实际为“{value}”")
    return score


def _text(value: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValueError(f"请填写{what}。")
    if len(text) > MAX_TEXT:
        raise ValueError(f"{what}不超过 {MAX_TEXT:,} 字，实际 {len(text):,} 字。")
    return text


def _indicator(indicator: str) -> IndicatorMeta:
    found = {r.id: r for r in indicators()}
    if indicator not in found:
        raise ValueError(f"{indicator} 不是定性指标（可选：{'、'.join(found) or '无'}）")
    return found[indicator]


def save_self(con: duckdb.DuckDBPyConnection, year: int, inst_id: str, indicator: str, score, justification: str,
              attachments: list[tuple[str, bytes]], actor: str) -> None:
    """Keep an institution's self-assessment of one indicator with its evidence (all or nothing)."""
    meta = _indicator(indicator)
    value = score_value(score, f"{meta.name}自评分")
    text = _text(justification, "自评说明")
    checked = [evidence.check(name, data) for name, data in attachments]  # refuse before writing anything
    with writer.exclusive():
        current = engine.query(con, "workflow/qualitative_row", scope=None, year=year, inst_id=inst_id,
                               indicator=indicator)
        if len(current) and pd.notna(current["final_score"].iloc[0]):
            raise ValueError(f"{meta.name}已由监管部门评审（{current['final_score'].iloc[0]} 分），自评不能再修改；如有异议请在发布后申请复核。")
        at = datetime.now()
        con.begin()
        try:
            engine.execute(con, "workflow/save_self", year=year, inst_id=inst_id, indicator=indicator, score=value,
                           justification=text, actor=actor, at=at)
            for name, data in attachments:
                evidence.store(con, owner(year, inst_id, indicator), name, data, actor, at)
            trail.record(con, actor, "self_assessment", inst_id=inst_id, subject=owner(year, inst_id, indicator),
                         detail={"score": str(value), "evidence": [c.sha256 for c in checked]}, at=at)
        except BaseException:
            con.rollback()
            raise
        con.commit()


def review(con: duckdb.DuckDBPyConnection, year: int, inst_id: str, indicator: str, score, comment: str,
           actor: str) -> None:
    """The regulator's final score of one institution's indicator, with comments."""
    meta = _indicator(indicator)
    value = score_value(score, f"{meta.name}评审得分")
    text = _text(comment, "评审意见")
    if engine.query(con, "workflow/institution", scope=None, inst_id=inst_id).empty:
        raise ValueError(f"机构 {inst_id} 不存在")
    with writer.exclusive():
        con.begin()
        try:
            engine.execute(con, "workflow/review", year=year, inst_id=inst_id, indicator=indicator, score=value,
                           comment=text, actor=actor, at=datetime.now())
            trail.record(con, actor, "review", inst_id=inst_id, subject=owner(year, inst_id, indicator),
                         detail={"score": str(value)})
            db.bump_data_version(con, reported=False)  # a final score is an evaluation input: results kept per version are stale
        except BaseException:
            con.rollback()
            raise
        con.commit()


def scores(con: duckdb.DuckDBPyConnection, year: int, scope: Scope) -> pd.DataFrame:
    """Per bank or leasing company in scope and qualitative indicator: self score and justification beside
    the final score and comment (missing where not yet given)."""
    frame = engine.query(con, "workflow/qualitative_scores", scope=scope, year=year,
                         indicators=[r.id for r in indicators()])
    names = {r.id: r.name for r in indicators()}
    frame["indicator_name"] = frame["indicator"].map(names)
    return frame
