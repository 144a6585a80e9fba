"""Ranks and lines: the rank in a peer group, selection (R13), bonus points (R14),
grades and the interview list (R15). Pure and vectorised (numpy / pandas).

Scores here are the *published* scores: the composite rounded half-up to the method's
`lines.decimals` (2) after any deduction. Ranks, lines, grades and bonus points all read
that one number, so a published score and its grade, bonus and rank never disagree.

Ranks are always a permutation 1..n. Equal scores are ordered by the method's tiebreak
indicators (default S1 "3个1" compliance, higher first; NaN last), then by the id
(ascending) — deterministic, and explainable in one sentence. Unscored (NaN) rows come
last. `competition_rank` gives the "1, 2, 2, 4" rank for display when ties matter.

Every line, band and count comes from the method (`scoring/methods/default.toml`): callers
pass its values, and nothing here repeats them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

# Why an institution is or is not on next year's list (R13).
REASON_SELECTED = "综合得分排名进入前{k}名，入选"
REASON_VETO = "一票否决（当年有重大违规或风险事件）"
REASON_UNSCORED = "数据不足未评分"
REASON_INELIGIBLE = "不符合遴选资格"
REASON_BELOW_LINE = "评分低于合格线（{line:g}分）"
REASON_OUTSIDE_K = "排名未进入前{k}名"
CHANGES = {"stays": "保留", "joins": "新进", "leaves": "退出"}

_ROUNDING_GUARD = 1e-9  # absorbs binary-float error just below a .5 boundary (scaled units)


def round_half_up(values, decimals: int):
    """Half-up (away from zero at .5) to `decimals` places, vectorised; NaN stays NaN.

    Floats cannot hold 89.995 exactly, so a guard of 1e-9 in units of the last place
    treats a value that close below a .5 boundary as on it.
    """
    x = np.asarray(values, dtype=float)
    scale = 10.0 ** decimals
    rounded = np.sign(x) * np.floor(np.abs(x) * scale + 0.5 + _ROUNDING_GUARD) / scale
    return _like(values, rounded)


def _like(template, values: np.ndarray):
    """`values` as a Series with `template`'s index when `template` is a Series."""
    if isinstance(template, pd.Series):
        return pd.Series(values, index=template.index)
    return values


# -- ranks --------------------------------------------------------------------------------

def tie_order(index: pd.Index, tiebreak: pd.DataFrame | None = None) -> np.ndarray:
    """Position 0..n−1 of each row when scores tie: tiebreak columns (higher first, NaN last), then id."""
    keys = [pd.factorize(index, sort=True)[0]]  # the last resort: id ascending
    if tiebreak is not None:
        frame = tiebreak.reindex(index)
        keys += [-frame[c].to_numpy(dtype=float) for c in reversed(frame.columns)]  # first column decides first
    order = np.lexsort(keys)  # NaN sorts last
    position = np.empty(len(index), dtype=int)
    position[order] = np.arange(len(index))
    return position


def rank_rows(scores: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Ranks 1..n along the last axis of `scores` (…, n), higher first; ties by `order` (see tie_order)."""
    scores = np.asarray(scores, dtype=float)
    by_tie = np.argsort(order)  # columns rearranged into tiebreak order, so a stable sort keeps it
    ranked = np.argsort(-scores[..., by_tie], axis=-1, kind="stable")  # NaN sorts last
    ranks_by_tie = np.empty(ranked.shape, dtype=int)
    np.put_along_axis(ranks_by_tie, ranked, np.broadcast_to(np.arange(1, scores.shape[-1] + 1), ranked.shape), -1)
    ranks = np.empty_like(ranks_by_tie)
    ranks[..., by_tie] = ranks_by_tie
    return ranks


def rank(score: pd.Series, tiebreak: pd.DataFrame | None = None) -> pd.Series:
    """Rank 1..n (a permutation) by score, higher first; ties as in the module docstring (R13)."""
    return pd.Series(rank_rows(score.to_numpy(dtype=float), tie_order(score.index, tiebreak)),
                     index=score.index, name="rank")


def competition_rank(score: pd.Series) -> pd.Series:
    """1 + the number of strictly higher scores ("1, 2, 2, 4"); NaN for unscored."""
    return score.rank(method="min", ascending=False).astype("Int64").rename("competition_rank")


# -- selection (R13) ----------------------------------------------------------------------

def selection_size(qualified, candidates, k_min: int, k_max: int):
    """R13: k = the number qualified, clamped to [k_min, k_max] and to the number of candidates."""
    return np.minimum(np.clip(qualified, k_min, k_max), candidates)


def selected_rows(scores: np.ndarray, ranks: np.ndarray, eligible: np.ndarray, line: float, k_min: int,
                  k_max: int) -> np.ndarray:
    """R13 over the last axis of scores/ranks (…, n): the top k eligible, scored institutions.

    Candidates are eligible and scored (vetoed institutions are passed as not eligible);
    k counts the candidates at or above `line`; the k best-ranked candidates are selected.
    """
    scores = np.asarray(scores, dtype=float)
    candidates = np.asarray(eligible, dtype=bool) & ~np.isnan(scores)
    qualified = np.count_nonzero(candidates & (scores >= line), axis=-1)
    k = selection_size(qualified, np.count_nonzero(candidates, axis=-1), k_min, k_max)
    place = np.argsort(np.argsort(np.where(candidates, ranks, np.inf), axis=-1, kind="stable"), axis=-1)
    return candidates & (place < np.expand_dims(k, -1))


def selection_table(score: pd.Series, eligible: pd.Series, line: float, k_min: int, k_max: int,
                    ranks: pd.Series | None = None, vetoed: pd.Series | None = None) -> pd.DataFrame:
    """Per institution: `selected` (R13) and a Chinese `reason`; NaN score = unscored.

    `ranks` defaults to `rank(score)` (ties by id); vetoed institutions are never candidates.
    """
    ranks = rank(score) if ranks is None else ranks
    vetoed = _flag(vetoed, score.index)
    eligible_now = _flag(eligible, score.index) & ~vetoed
    chosen = selected_rows(score.to_numpy(dtype=float), ranks.reindex(score.index).to_numpy(dtype=float),
                           eligible_now.to_numpy(), line, k_min, k_max)
    candidates = eligible_now & score.notna()
    k = int(selection_size(int((candidates & (score >= line)).sum()), int(candidates.sum()), k_min, k_max))
    reason = np.select(
        [chosen, vetoed.to_numpy(), score.isna().to_numpy(), ~eligible_now.to_numpy(), (score < line).to_numpy()],
        [REASON_SELECTED.format(k=k), REASON_VETO, REASON_UNSCORED, REASON_INELIGIBLE,
         REASON_BELOW_LINE.format(line=line)],
        REASON_OUTSIDE_K.format(k=k))
    return pd.DataFrame({"selected": chosen, "reason": reason}, index=score.index)


def _flag(values: pd.Series | None, index: pd.Index) -> pd.Series:
    if values is None:
        return pd.Series(False, index=index)
    return values.reindex(index).fillna(False).astype(bool)


def change(selected_now: Iterable, selected_before: Iterable) -> pd.DataFrame:
    """Stays / joins / leaves between last year's list and this one (R13); the why of each
    is its selection reason (`selection_table`)."""
    now, before = set(selected_now), set(selected_before)
    ids = sorted(now | before, key=str)
    status = ["stays" if i in now and i in before else "joins" if i in now else "leaves" for i in ids]
    return pd.DataFrame({"inst_id": ids, "change": status, "change_label": [CHANGES[s] for s in status]})


# -- bonus, grades, interview (R14, R15) --------------------------------------------------

def bonus(score, start: float, full: float, points: float, decimals: int):
    """R14: clamp(points × (score − start) / (full − start), 0, points), half-up; 0 when unscored or vetoed (NaN)."""
    s = np.asarray(score, dtype=float)
    raw = np.clip(points * (s - start) / (full - start), 0.0, points)
    return _like(score, np.nan_to_num(round_half_up(raw, decimals), nan=0.0))


def grade(score, grades: tuple[tuple[str, float], ...], lowest: str):
    """R15: the first grade whose lowest score the score reaches (best first), else `lowest`; None if unscored."""
    s = np.asarray(score, dtype=float)
    labels = np.select([s >= low for _, low in grades], [label for label, _ in grades], lowest).astype(object)
    labels[np.isnan(s)] = None
    return _like(score, labels)


def interview(grade, compliance, grades: Iterable[str], compliance_below: float):
    """R15 约谈: `grade` in `grades`, or "3个1" compliance (0–1) below `compliance_below` (NaN = not judged)."""
    by_grade, by_compliance = _interview_masks(grade, compliance, grades, compliance_below)
    return _like(grade, by_grade | by_compliance)


def interview_reasons(grade: pd.Series, compliance: pd.Series, grades: Iterable[str],
                      compliance_below: float, detail: pd.Series | None = None) -> pd.Series:
    """Why each row is on the 约谈 list (R15), in Chinese; empty when it is not. `detail` (per row)
    follows the grade: the score and what cost it most."""
    by_grade, by_compliance = _interview_masks(grade, compliance, grades, compliance_below)
    percent = (100 * compliance.reindex(grade.index)).round(1).astype(str)
    detail = "" if detail is None else detail.reindex(grade.index).fillna("")
    grade_text = pd.Series(np.where(by_grade, "综合评价等级为" + grade.fillna("") + detail, ""), index=grade.index)
    line = f"{100 * compliance_below:g}%"
    compliance_text = pd.Series(np.where(by_compliance, "“3个1”限时办结达标率" + percent + "%，低于" + line, ""),
                                index=grade.index)
    return grade_text.str.cat(compliance_text, sep="；").str.strip("；")


def _interview_masks(grade, compliance, grades: Iterable[str], compliance_below: float):
    if isinstance(grade, pd.Series) and isinstance(compliance, pd.Series):
        compliance = compliance.reindex(grade.index)
    by_grade = pd.Series(np.asarray(grade, dtype=object)).isin(list(grades)).to_numpy()
    by_compliance = np.asarray(compliance, dtype=float) < compliance_below  # NaN compares False
    return by_grade, by_compliance


def deductions(flag_counts: pd.DataFrame, per_flag: Mapping[str, float]) -> pd.Series:
    """Points deducted per institution: flags of each kind (columns) × the method's points per flag."""
    kinds = [k for k in per_flag if k in flag_counts.columns]
    points = pd.Series({k: per_flag[k] for k in kinds}, dtype=float)
    return flag_counts[kinds].fillna(0).astype(float).mul(points).sum(axis=1).rename("deduction")
