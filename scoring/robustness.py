"""How robust is a rank? Re-run the evaluation many times with perturbed choices (METHOD.md, R12–R13).

`robustness()` — each draw d:
- multiplies every weight of the group by its own factor U(low, high) (default
  U(0.75, 1.25)) and re-shares the weights to sum 1;
- picks ONE normalisation for all the group's indicators from the method's
  `robustness.normalisations` (default: as specified, min–max, percentile rank, z-score),
  uniformly: a draw is one coherent alternative method, as a regulator would choose one;
- scores, rounds and ranks exactly as `score_group` does (same aggregation, missing-value
  rule, deductions, published rounding and tiebreak), and applies the R13 selection rule.
Vectorised: each alternative's normalised matrix is computed once; a (draws × indicators)
weight matrix then scores every draw in one broadcast; ranks come from an argsort along
the institutions axis. Objective weights (entropy, CRITIC) are computed once, on the
method's own normalisation, and perturbed like fixed ones.

Percentiles are nearest-rank (Hyndman–Fan type 1, numpy "inverted_cdf"): the p-th
percentile of D sorted ranks is the ⌈p·D/100⌉-th; the median is the 50th percentile so
defined (the lower middle value when D is even). Always an observed rank, and the same
in SQL with `row_number()`, so p05 ≤ median ≤ p95 by construction.

`drop_one()` re-scores with each indicator left out in turn (the other weights re-shared)
and reports every institution's rank shift.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.aggregate import (aggregate, composite_of, group_deduction, group_raw, group_tiers, group_weights,
                               normalise_matrix, published_score, tiebreak_frame)
from scoring.lines import rank_rows, selected_rows, tie_order
from scoring.method import AS_SPECIFIED, INSTITUTION_GROUPS, Method

PERCENTILES = {"rank_p05": 5, "median_rank": 50, "rank_p95": 95}
COLUMNS = ["median_rank", "rank_p05", "rank_p95", "selection_share"]


def nearest_rank(sorted_values: np.ndarray, percent: int) -> np.ndarray:
    """The ⌈percent·D/100⌉-th of D values sorted along axis 0 (integer arithmetic: no float edge)."""
    draws = sorted_values.shape[0]
    position = max(1, -(-percent * draws // 100))
    return sorted_values[position - 1]


def _scores(normalised: np.ndarray, weights: np.ndarray, method: Method, deduction: np.ndarray) -> np.ndarray:
    """Published scores (…, n) for normalised (…, n, m) under weights (…, m), as score_group computes them."""
    parts = aggregate(normalised, weights, method.aggregation.method, method.aggregation.missing)
    return published_score(composite_of(parts), deduction, method.lines.decimals)


def _setup(raw: pd.DataFrame, method: Method, group: str, deductions: pd.Series | None):
    values = group_raw(raw, method, group)
    normalised = normalise_matrix(values, method, group, tiers=group_tiers(raw))
    weights, _ = group_weights(normalised, method, group)
    order = tie_order(values.index, tiebreak_frame(values, method, group))
    return values, normalised, weights, order, group_deduction(values, deductions).to_numpy()


def robustness(raw: pd.DataFrame, method: Method, group: str, draws: int | None = None, seed: int | None = None,
               eligible: pd.Series | None = None, deductions: pd.Series | None = None) -> pd.DataFrame:
    """Per institution: median rank, 5th and 95th percentile rank, and the share of draws selected (R13).

    `draws` and `seed` default to the method's; `draws=0` skips the re-runs (every column
    NaN); `eligible` (default: all) marks who may be selected; the district group has no
    selection (share NaN).
    """
    settings = method.robustness
    draws = settings.draws if draws is None else draws
    if draws == 0:  # robustness not asked for: no percentile of zero draws exists
        return pd.DataFrame(np.nan, index=raw.index, columns=COLUMNS).rename_axis(
            raw.index.name or "inst_id").reset_index()
    rng = np.random.default_rng(settings.seed if seed is None else seed)
    values, normalised, weights, order, deduction = _setup(raw, method, group, deductions)
    alternatives = np.stack([(normalised if how == AS_SPECIFIED else normalise_matrix(values, method, group, how))
                             .to_numpy() for how in settings.normalisations])  # (A, n, m)
    factors = rng.uniform(settings.weight_low, settings.weight_high, size=(draws, len(weights)))
    drawn_weights = weights.to_numpy() * factors
    drawn_weights /= drawn_weights.sum(axis=1, keepdims=True)
    picked = rng.integers(0, len(alternatives), size=draws)
    scores = _scores(alternatives[picked], drawn_weights, method, deduction)  # (draws, n)
    ranks = rank_rows(scores, order)
    result = {name: nearest_rank(np.sort(ranks, axis=0), p) for name, p in PERCENTILES.items()}
    result["selection_share"] = _selection_share(scores, ranks, values.index, method, group, eligible)
    frame = pd.DataFrame(result, index=values.index)[COLUMNS]
    return frame.rename_axis(values.index.name or "inst_id").reset_index()


def _selection_share(scores, ranks, index: pd.Index, method: Method, group: str, eligible) -> np.ndarray:
    if group not in INSTITUTION_GROUPS:
        return np.full(len(index), np.nan)
    mask = np.ones(len(index), dtype=bool) if eligible is None else (
        eligible.reindex(index).fillna(False).astype(bool).to_numpy())
    chosen = selected_rows(scores, ranks, mask, method.lines.qualifying, method.selection.k_min,
                           method.selection.k_max)
    return chosen.mean(axis=0)


def drop_one(raw: pd.DataFrame, method: Method, group: str, deductions: pd.Series | None = None) -> pd.DataFrame:
    """Rank of each institution with each indicator left out in turn: (id, dropped, rank, base_rank, shift).

    shift = rank without the indicator − rank with all (positive: the indicator was helping).
    A group scored on a single indicator has nothing to drop (empty frame).
    """
    values, normalised, weights, order, deduction = _setup(raw, method, group, deductions)
    id_name = values.index.name or "inst_id"
    columns = [id_name, "dropped", "rank", "base_rank", "shift"]
    m = len(weights)
    if m < 2:
        return pd.DataFrame(columns=columns)
    normalised = normalised.to_numpy()
    without = np.tile(weights.to_numpy(), (m, 1))
    np.fill_diagonal(without, 0.0)
    without /= without.sum(axis=1, keepdims=True)
    base = rank_rows(_scores(normalised, weights.to_numpy(), method, deduction), order)  # (n,)
    ranks = rank_rows(_scores(normalised, without, method, deduction), order)  # (m, n)
    n = len(values.index)
    return pd.DataFrame({
        id_name: np.tile(values.index.to_numpy(), m),
        "dropped": np.repeat(weights.index.to_numpy(), n),
        "rank": ranks.ravel(),
        "base_rank": np.tile(base, m),
        "shift": (ranks - base).ravel(),
    })
