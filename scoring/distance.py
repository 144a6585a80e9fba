"""How far each institution is from the next grade (R15) and from the selection line (R13),
in points and in the single-indicator moves that would close the gap.

Under the weighted mean an indicator j with weight share w_j adds w_j × (its 0–100 score)
to the composite, so closing a gap of g points on j alone needs its score to rise by g / w_j
— possible when w_j × (100 − score) ≥ g. Under goalposts the raw value that gives a score is
known (lo + score/100 × (hi − lo), the tier's bounds; flipped for "lower is better"), and
under distance-to-target it is target × score/100, so the move is stated in the indicator's
own unit (亿元, %, 基点, 工作日). Relative normalisations (ratio to best, min–max, …) have no
such answer — the needed value depends on everyone else — and are left out of the moves.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scoring.method import Method
from scoring.normalise import by_tier
from scoring.workbook import unit_of

COLUMNS = ["inst_id", "goal", "goal_score", "gap", "indicator", "name", "raw", "needed"]


def position(result: pd.Series, indicators: pd.DataFrame) -> pd.Series:
    """An institution's published result row (`published.my_result`) with each indicator's raw
    and normalised value (`indicators` indexed by indicator id, columns raw and normalised) as
    `<id>_raw` and `<id>_norm`: the wide row `moves_of` reads."""
    values = {f"{i}_raw": indicators["raw"].get(i) for i in indicators.index}
    return pd.Series(result.to_dict() | values | {f"{i}_norm": indicators["normalised"].get(i) for i in indicators.index})


def next_grade(score: float, method: Method) -> tuple[str, float] | None:
    """The next grade band above `score` and its lower bound; None at the top band or unscored."""
    if score is None or pd.isna(score):
        return None
    above = [(label, bound) for label, bound in method.lines.grades if bound > score]
    return min(above, key=lambda band: band[1]) if above else None


def selection_line(group_rows: pd.DataFrame) -> float | None:
    """The lowest published score that was selected in the group (None when nobody was)."""
    chosen = group_rows.loc[group_rows["selected"].astype(bool), "score"].dropna()
    return float(chosen.min()) if len(chosen) else None


def goals_of(r, method: Method, line: float | None) -> list[tuple[str, float, float]]:
    """(goal, its score, gap in points) for one scored institution: the next grade band, and the
    selection line `line` when it is eligible and not selected."""
    out = []
    band = next_grade(r["score"], method)
    if band:
        out.append((band[0], band[1], round(band[1] - r["score"], 2)))
    if line is not None and not r["selected"] and r["eligible"]:
        out.append(("入选线", line, round(max(line - r["score"], 0.0), 2)))
    return out


def goals(table: pd.DataFrame, method: Method) -> pd.DataFrame:
    """Per scored institution of an evaluation table: its goals (`goals_of`) with the gap in points."""
    rows = [(r["inst_id"], *goal) for _, r in table[table["status"] == "scored"].iterrows()
            for goal in goals_of(r, method, selection_line(table[table["peer_group"] == r["peer_group"]]))]
    return pd.DataFrame(rows, columns=["inst_id", "goal", "goal_score", "gap"])


def moves(table: pd.DataFrame, method: Method) -> pd.DataFrame:
    """`moves_of` for every scored institution of an evaluation table."""
    frames = [moves_of(r, method, selection_line(table[table["peer_group"] == r["peer_group"]]))
              for _, r in table[table["status"] == "scored"].iterrows()]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*COLUMNS, "plan", "points"])


def moves_of(r, method: Method, line: float | None) -> pd.DataFrame:
    """For each goal of one institution (`r`: inst_id, peer_group, tier, score, selected, eligible and
    `<id>_raw`, `<id>_norm`), the indicator moves that close the gap, with the raw value each needs.

    Every indicator that could close the gap alone is listed (`plan` = "单项", the smallest use of
    its headroom first); when none can, one combined plan (`plan` = "组合"): the indicators with
    the most points left, each to its full mark, the last only as far as needed. Columns: COLUMNS
    and `plan`, `points` (what the move adds to the composite); `raw` now, `needed` afterwards.
    """
    rows = []
    tier = r.get("tier")
    options = []
    for ind_id, share in method.weights(r["peer_group"]).items():
        ind = method.indicator(ind_id)
        score = r.get(f"{ind_id}_norm")
        score = 0.0 if score is None or pd.isna(score) else float(score)
        if _raw_for(ind, 100.0, tier) is not None and score < 100:
            options.append((ind, share, score, share * (100 - score)))
    for goal, goal_score, gap in goals_of(r, method, line):
        if gap <= 0:
            continue
        base = (r["inst_id"], goal, goal_score, gap)
        single = sorted((o for o in options if o[3] >= gap - 1e-9), key=lambda o: gap / o[3])
        if single:
            rows += [(*base, ind.id, ind.name, r.get(f"{ind.id}_raw"), _raw_for(ind, score + gap / share, tier),
                      "单项", gap) for ind, share, score, _ in single]
            continue
        left = gap
        for ind, share, score, room in sorted(options, key=lambda o: -o[3]):
            points = min(room, left)
            rows.append((*base, ind.id, ind.name, r.get(f"{ind.id}_raw"), _raw_for(ind, score + points / share, tier),
                         "组合", points))
            left -= points
            if left <= 1e-9:
                break
    return pd.DataFrame(rows, columns=[*COLUMNS, "plan", "points"])


def bounds(ind, tier) -> tuple[float, float]:
    """A goalposts indicator's (lo, hi) for an institution of `tier` (its tier's, else `default`)."""
    tiers = [tier if isinstance(tier, str) else None]
    return tuple(float(np.atleast_1d(by_tier(ind.params[k], tiers, 1))[0]) for k in ("lo", "hi"))


def _raw_for(ind, score: float, tier) -> float | None:
    """The raw value at which `ind` scores `score` (0–100), or None under a relative normalisation."""
    if ind.normalisation == "goalposts":
        lo, hi = bounds(ind, tier)
        if ind.direction == "lower":
            return hi - score / 100 * (hi - lo)
        return lo + score / 100 * (hi - lo)
    if ind.normalisation == "distance_to_target" and ind.direction == "higher":
        return float(ind.params["target"]) * score / 100
    return None


def in_unit(method: Method, indicator_id: str, value) -> str:
    """A raw indicator value as a person reads it: 7.45 亿元, 98.4%, 21.8 个基点, 6.6 个工作日."""
    if value is None or pd.isna(value):
        return "—"
    unit, kind = unit_of(method, indicator_id)
    if kind == "yi":
        return f"{value / 1e8:,.2f} 亿元"
    if kind == "percent":
        return f"{100 * value:.1f}%"
    if kind == "int":
        return f"{math.ceil(value - 1e-9):,} {unit}"
    return f"{value:,.1f} {unit}"


def move_text(move, method: Method) -> str:
    """One move in words: "技改专项贷发放金额由 7.17 亿元提高到 7.45 亿元"."""
    verb = "降低到" if move.needed < (move.raw if pd.notna(move.raw) else 0) else "提高到"
    return (f"{move.name}由 {in_unit(method, move.indicator, move.raw)}{verb} "
            f"{in_unit(method, move.indicator, move.needed)}")


SUMMARY_COLUMNS = ["name", "score", "goal", "goal_score", "gap", "how"]


def summary(group_rows: pd.DataFrame, moves: pd.DataFrame, method: Method, top_grade: str) -> pd.DataFrame:
    """One line per goal (the next R15 grade line, the R13 selection line) of each scored institution
    of a peer group, best rank first: name, score, goal, goal_score, gap and `how` — the first two single moves that close the gap ("；或"), or the
    combined plan ("同时…"). An institution with no goal left gets one line saying why."""
    by_inst = dict(tuple(moves.groupby("inst_id", sort=False))) if len(moves) else {}
    rows = []
    for r in group_rows[group_rows["status"] == "scored"].sort_values("rank").itertuples():
        mine = by_inst.get(r.inst_id)
        if mine is None:
            rows.append({"name": r.name, "score": r.score, "goal": "—", "goal_score": None, "gap": None,
                         "how": "已达最高等级且已入选" if r.grade == top_grade else "已入选，已达可及的最高等级"})
            continue
        for goal, goal_moves in mine.groupby("goal", sort=False):
            first = goal_moves.iloc[0]
            how = ("；或".join(move_text(m, method) for m in goal_moves.head(2).itertuples())
                   if first["plan"] == "单项" else "同时" + "、".join(move_text(m, method) for m in goal_moves.itertuples()))
            rows.append({"name": r.name, "score": r.score, "goal": goal, "goal_score": first["goal_score"],
                         "gap": first["gap"], "how": how})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
