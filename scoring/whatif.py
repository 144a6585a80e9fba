"""The regulator's what-if sandbox (R12, R13): a peer group re-scored and re-selected with
other weights, through the engine's own `score_group` and `lines.selection_table`, and
compared with the evaluation it starts from. Nothing is stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from scoring import lines
from scoring.aggregate import score_group
from scoring.method import Method


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
    """The group's scored institutions re-scored and re-selected with other weights (R12, R13).

    `institutions` is an evaluation's table (`<id>_raw` columns, status, eligible, deduction).
    Returns inst_id, name, score, rank, selected under the new weights.
    """
    scenario = with_weights(method, group, weights)
    rows = _scored(institutions, group).set_index("inst_id")
    ids = [ind.id for ind in scenario.indicators_for(group)]
    raw = rows[[f"{i}_raw" for i in ids]].rename(columns=lambda c: c.removesuffix("_raw")).astype(float)
    if "tier" in rows.columns:
        raw["tier"] = rows["tier"]  # goalposts by peer tier
    scored = score_group(raw, scenario, group, rows["deduction"].astype(float))
    chosen = lines.selection_table(scored.score, rows["eligible"], scenario.lines.qualifying,
                                   scenario.selection.k_min, scenario.selection.k_max, scored.rank)
    return pd.DataFrame({"name": rows["name"], "score": scored.score, "rank": scored.rank,
                         "selected": chosen["selected"]}).rename_axis("inst_id").reset_index()


def compare(institutions: pd.DataFrame, scenario: pd.DataFrame, group: str) -> pd.DataFrame:
    """The group's scored institutions now (`_old`) and under the scenario (`_new`): inst_id,
    name, score_old, rank_old, selected_old, score_new, rank_new, selected_new, and `move`
    (places gained: old rank − new rank)."""
    compared = _scored(institutions, group)[["inst_id", "name", "score", "rank", "selected"]].merge(
        scenario[["inst_id", "score", "rank", "selected"]], on="inst_id", suffixes=("_old", "_new"))
    compared["move"] = compared["rank_old"].astype(int) - compared["rank_new"].astype(int)
    return compared


def _scored(institutions: pd.DataFrame, group: str) -> pd.DataFrame:
    return institutions[(institutions["peer_group"] == group) & (institutions["status"] == "scored")]
