"""Aggregation: normalised indicators → one composite score per institution (R12).

The pipeline of one peer group, each step a pure function of the last (as in COINr):
raw indicators → `normalise_matrix` (0–100, "lower" flipped first) → weights
(`fixed` from the method file, or `entropy` / `critic` computed from the normalised
matrix) → `aggregate` (contribution of each indicator) → composite → published score
(minus deductions, half-up to `lines.decimals`) → rank. `score_group` runs it.

- Weighted arithmetic mean (default): contribution_ij = share_j × normalised_ij, where
  share_j = w_j / Σ w over the group's indicators, so the contributions of a row sum to
  its composite. A missing value counts 0 (`missing = "zero"`, default: what is not
  reported earns nothing) or drops out with the weights re-shared over the indicators the
  institution has (`missing = "renormalise"`; no data at all → unscored).
- TOPSIS (alternative): vector normalisation of the 0–100 matrix (column / its Euclidean
  norm), weighted; ideal = column max, anti-ideal = column min (every column is already
  "higher is better"); composite = 100 × D⁻ / (D⁺ + D⁻); when everyone is identical
  (D⁺ + D⁻ = 0) everyone gets 100. A TOPSIS score is not a sum, so its "contributions"
  share the composite out in proportion to w_j × normalised_ij (for display only).
- Entropy weights: p_ij = x_ij / Σ_i x_ij, e_j = −Σ_i p_ij ln p_ij / ln n (0 ln 0 = 0; a
  column of zeros has e = 1), weight ∝ 1 − e_j. CRITIC weights: columns min–max scaled
  (a constant column → 1s), weight ∝ sd_j (ddof 1) × Σ_k (1 − r_jk) with Pearson r (r = 0
  against a constant column). Both agree with pymcdm 1.4 (tests/test_mcda_agreement.py).
  They are computed on the group's normalised matrix (missing = 0); when undefined (fewer
  than two institutions, or no column varies) the fixed weights are used and `weighting`
  says so.

Raw indicator values are read as floats: they are ratios and counts for scoring, never
money that is paid out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.lines import competition_rank, rank, round_half_up
from scoring.method import AS_SPECIFIED, Method
from scoring.normalise import normalise


@dataclass(frozen=True)
class GroupScore:
    group: str
    raw: pd.DataFrame  # institutions × the group's indicators, as floats
    normalised: pd.DataFrame  # 0–100, NaN where missing
    weights: pd.Series  # shares summing to 1, by indicator
    weighting: str  # the weighting actually used (fixed when an objective one is undefined)
    contribution: pd.DataFrame  # points of the composite each indicator gives; rows sum to `composite`
    composite: pd.Series  # 0–100, unrounded
    deduction: pd.Series  # points deducted for flags (R12 "outside the 100")
    score: pd.Series  # published: max(0, composite − deduction), half-up to lines.decimals
    rank: pd.Series  # 1..n permutation by score (ties: tiebreak indicators, then id)
    competition_rank: pd.Series  # 1, 2, 2, 4


def group_raw(raw: pd.DataFrame, method: Method, group: str) -> pd.DataFrame:
    """The group's indicator columns of `raw` in method order, as floats; a missing column is an error."""
    ids = [i.id for i in method.indicators_for(group)]
    missing = [i for i in ids if i not in raw.columns]
    if missing:
        raise KeyError(f"原始指标缺少列：{'、'.join(missing)}（{group} 组的评价办法需要这些指标）")
    return pd.DataFrame(raw[ids].to_numpy(dtype=float), index=raw.index, columns=ids)


def group_tiers(raw: pd.DataFrame) -> pd.Series | None:
    """Each row's peer tier (goalposts by tier read it), or None when the frame carries none."""
    return raw["tier"] if "tier" in raw.columns else None


def normalise_matrix(raw: pd.DataFrame, method: Method, group: str, how: str = AS_SPECIFIED,
                     tiers: pd.Series | None = None) -> pd.DataFrame:
    """Each indicator column on 0–100: by its own normalisation, or by `how` for all (a robustness alternative)."""
    indicators = method.indicators_for(group)
    values = raw[[ind.id for ind in indicators]].to_numpy(dtype=float)
    tiers = None if tiers is None else tiers.reindex(raw.index).to_numpy(object)
    columns = [
        normalise(values[:, j], ind.normalisation, ind.direction, ind.params, tiers)
        if how == AS_SPECIFIED else normalise(values[:, j], how, ind.direction)
        for j, ind in enumerate(indicators)
    ]
    return pd.DataFrame(np.column_stack(columns) if columns else None, index=raw.index,
                        columns=[ind.id for ind in indicators])


def aggregate(normalised: np.ndarray, weights: np.ndarray, how: str = "weighted_mean",
              missing: str = "zero") -> np.ndarray:
    """Contributions (…, n, m) of normalised (…, n, m) under weights (…, m); rows sum to the composite.

    Leading axes broadcast, so one call scores many weight vectors (robustness, drop-one).
    """
    normalised = np.asarray(normalised, dtype=float)
    weights = np.asarray(weights, dtype=float)
    missing_values = np.isnan(normalised)
    filled = np.where(missing_values, 0.0, normalised)
    w = weights[..., None, :]
    if how == "topsis":
        composite = 100.0 * topsis(filled, weights)
        weighted = filled * w
        total = weighted.sum(axis=-1, keepdims=True)
        even = np.broadcast_to(w / w.sum(axis=-1, keepdims=True), weighted.shape)
        shares = np.where(total > 0, weighted / np.where(total > 0, total, 1.0), even)
        return composite[..., None] * shares
    if missing == "renormalise":
        available = ~missing_values
        denominator = (available * w).sum(axis=-1, keepdims=True)
        shares = np.where(available, w, 0.0) / np.where(denominator > 0, denominator, np.nan)
    else:
        shares = w / w.sum(axis=-1, keepdims=True)
    return filled * shares


def composite_of(contributions: np.ndarray) -> np.ndarray:
    """The composite: the sum of a row's contributions (NaN when a row has no data under renormalise)."""
    return np.sum(contributions, axis=-1)


def topsis(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray | None = None) -> np.ndarray:
    """TOPSIS closeness in [0, 1] for matrix (…, n, m), weights (…, m), types ±1 (1 = benefit, default)."""
    x = np.asarray(matrix, dtype=float)
    norm = np.sqrt(np.sum(x ** 2, axis=-2, keepdims=True))
    v = np.where(norm > 0, x / np.where(norm > 0, norm, 1.0), 0.0) * np.asarray(weights, dtype=float)[..., None, :]
    benefit = np.ones(x.shape[-1], dtype=bool) if types is None else np.asarray(types) > 0
    best = v.max(axis=-2, keepdims=True, initial=-np.inf)  # `initial`: an empty group is not an error
    worst = v.min(axis=-2, keepdims=True, initial=np.inf)
    ideal, anti = np.where(benefit, best, worst), np.where(benefit, worst, best)
    to_ideal = np.sqrt(np.sum((v - ideal) ** 2, axis=-1))
    to_anti = np.sqrt(np.sum((v - anti) ** 2, axis=-1))
    total = to_ideal + to_anti
    return np.where(total > 0, to_anti / np.where(total > 0, total, 1.0), 1.0)


def entropy_weights(matrix: np.ndarray) -> np.ndarray | None:
    """Entropy weights of a non-negative matrix (n, m); None when undefined (n < 2 or no column varies)."""
    x = np.asarray(matrix, dtype=float)
    n = x.shape[0]
    if n < 2:
        return None
    column_sum = x.sum(axis=0)
    p = np.where(column_sum > 0, x / np.where(column_sum > 0, column_sum, 1.0), 1.0 / n)
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    divergence = 1.0 + plogp.sum(axis=0) / np.log(n)
    return _shares(divergence)


def critic_weights(matrix: np.ndarray) -> np.ndarray | None:
    """CRITIC weights of a matrix (n, m); None when undefined (n < 2 or no column varies)."""
    x = np.asarray(matrix, dtype=float)
    if x.shape[0] < 2:
        return None
    lo, hi = x.min(axis=0), x.max(axis=0)
    spread = hi - lo
    scaled = np.where(spread > 0, (x - lo) / np.where(spread > 0, spread, 1.0), 1.0)
    centred = scaled - scaled.mean(axis=0)
    sd = np.sqrt((centred ** 2).sum(axis=0))
    varies = sd > 0
    outer = np.outer(sd, sd)
    r = np.where(np.outer(varies, varies), centred.T @ centred / np.where(outer > 0, outer, 1.0), 0.0)
    np.fill_diagonal(r, 1.0)
    information = scaled.std(axis=0, ddof=1) * (1.0 - r).sum(axis=0)
    return _shares(information)


def _shares(values: np.ndarray) -> np.ndarray | None:
    total = values.sum()
    return values / total if total > 1e-12 else None


OBJECTIVE_WEIGHTS = {"entropy": entropy_weights, "critic": critic_weights}


def group_weights(normalised: pd.DataFrame, method: Method, group: str) -> tuple[pd.Series, str]:
    """The weights (shares) the group is scored with, and the weighting actually used."""
    fixed = method.weights(group)
    weighting = method.aggregation.weighting
    if weighting == "fixed":
        return fixed, "fixed"
    objective = OBJECTIVE_WEIGHTS[weighting](normalised[fixed.index].fillna(0.0).to_numpy())
    if objective is None:
        return fixed, "fixed"
    return pd.Series(objective, index=fixed.index), weighting


def published_score(composite, deduction, decimals: int):
    """The published score: max(0, composite − deduction) half-up to `decimals`; NaN stays NaN."""
    return round_half_up(np.clip(np.asarray(composite, dtype=float) - np.asarray(deduction, dtype=float), 0.0, None),
                         decimals)


def tiebreak_frame(raw: pd.DataFrame, method: Method, group: str) -> pd.DataFrame:
    """The group's tiebreak indicators, oriented so that higher is better (a lower indicator negated)."""
    ids = method.selection.tiebreak.get(group, ())
    sign = {i: (1.0 if method.indicator(i).direction == "higher" else -1.0) for i in ids}
    return pd.DataFrame({i: sign[i] * raw[i] for i in ids}, index=raw.index)


def group_deduction(raw: pd.DataFrame, deductions: pd.Series | None) -> pd.Series:
    if deductions is None:
        return pd.Series(0.0, index=raw.index, name="deduction")
    return deductions.reindex(raw.index).fillna(0.0).astype(float).rename("deduction")


def score_group(raw: pd.DataFrame, method: Method, group: str, deductions: pd.Series | None = None) -> GroupScore:
    """Score one peer group (R12): `raw` is indexed by id with one column per indicator id.

    `raw` holds only the institutions to be scored (the caller leaves out the vetoed and
    those under the minimum data); `deductions` are points off per id (flags).
    """
    values = group_raw(raw, method, group)
    normalised = normalise_matrix(values, method, group, tiers=group_tiers(raw))
    weights, weighting = group_weights(normalised, method, group)
    parts = aggregate(normalised.to_numpy(), weights.to_numpy(), method.aggregation.method,
                      method.aggregation.missing)
    contribution = pd.DataFrame(parts, index=values.index, columns=weights.index)
    composite = pd.Series(composite_of(parts), index=values.index, name="composite")
    deduction = group_deduction(values, deductions)
    score = pd.Series(published_score(composite, deduction, method.lines.decimals), index=values.index,
                      name="score")
    return GroupScore(
        group=group, raw=values, normalised=normalised, weights=weights, weighting=weighting,
        contribution=contribution, composite=composite, deduction=deduction, score=score,
        rank=rank(score, tiebreak_frame(values, method, group)), competition_rank=competition_rank(score),
    )
