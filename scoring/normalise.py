"""Normalisation: a raw indicator vector of one peer group onto 0–100 (METHOD.md, R12).

`normalise(values, how, direction, params)` maps a numpy vector (NaN = missing) to
scores on 0–100; a missing value stays NaN (the aggregation decides what it counts).

Direction. A "lower is better" indicator is flipped BEFORE it is normalised, never
after, so every method below only ever sees "higher is better" values:
- ratio methods (`ratio_to_best`, `distance_to_target`) flip by the reciprocal
  x → 1/x (a ratio scale has no negatives: values below 0 count as 0, and 1/0 = +∞,
  the best possible); `ratio_to_best` of a lower indicator is therefore best/x with
  best = the smallest value, and `distance_to_target` gives min(1, target/x);
- every other method flips by negation x → −x, and its parameters with it
  (goalposts [lo, hi] → [−hi, −lo]; band thresholds t → −t).

Methods (n = number of non-missing values in the group):
- `ratio_to_best`: 100 · x / max(x).
- `min_max`: 100 · (x − min) / (max − min).
- `goalposts` (lo, hi): 100 · clip((x − lo) / (hi − lo), 0, 1) — absolute, e.g. S1 60 %→0, 100 %→100.
  lo and hi may each be a table by peer tier (`{ big = …, village = …, default = … }`):
  each institution is then held to the bounds of its own tier (`tiers`, the `tier`
  column of `institutions`; no tier or an unlisted one takes `default`). A goalpost
  score depends on the institution's own value and tier only, never on who else reported.
- `distance_to_target` (target > 0): 100 · min(1, x / target) — absolute.
- `percentile_rank`: 100 · (r − 1) / (n − 1), r = the ascending rank where tied values share
  the highest rank of their block: the share of the others at or below the value. Ties share
  a rank, and a tie is never behind: everyone equal is 100, the no-spread rule below.
- `z_score` (center 50, scale 10): clip(center + scale · z, 0, 100), z = (x − mean) / sd
  with the population sd (ddof 0) — the T-score of Chinese exam statistics (标准分). Values
  whose sd is under a billionth of the largest |value| count as equal (no spread, below).
- `rank_points` (step 5, floor 0): place p (1 = best) earns max(floor, 100 − step · (p − 1));
  p = 1 + the number of values better than this one, so tied institutions share the best
  place of their block ("1, 2, 2, 4").
- `bands` (bands = [[threshold, score], …] best first, below = 0): the score of the
  first band whose threshold x reaches (x ≥ t after the flip), else `below`.

No spread. When every non-missing value of the group is the same (a single-member group
included), the relative methods (`ratio_to_best`, `min_max`, `percentile_rank`,
`rank_points`) give everyone 100: nobody is behind the best. `z_score` gives its centre
(50): it measures distance from the mean, and z = 0 keeps it monotone. The absolute
methods (`goalposts`, `distance_to_target`, `bands`) need no rule.

Monotonicity (tested): raising one institution's value in its good direction never lowers
its own normalised value, under every method, with the others' values held fixed. The
others' normalised values may move (a new best or worst resets min–max): under every
method but z-score they never rise, so the improver's rank cannot fall; under z-score a
value moving toward the mean shrinks the sd and can lift others too. This is why ties share
the best rank of their block: with averaged ranks, [1, 0, 0] (lower is better) scored the
tied pair 75 under percentile rank, and the first institution improving to 0 lifted them to
100 (everyone equal).
Missing values (NaN) are not ranked and do not count in n; they stay missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

DIRECTIONS = ("higher", "lower")
REQUIRED = object()  # marks a parameter without a default

# Each method's parameters and their defaults (the method file is checked against these).
PARAMETERS: dict[str, dict[str, Any]] = {
    "ratio_to_best": {},
    "min_max": {},
    "goalposts": {"lo": REQUIRED, "hi": REQUIRED},
    "distance_to_target": {"target": REQUIRED},
    "percentile_rank": {},
    "z_score": {"center": 50.0, "scale": 10.0},
    "rank_points": {"step": 5.0, "floor": 0.0},
    "bands": {"bands": REQUIRED, "below": 0.0},
}
NORMALISATIONS = tuple(PARAMETERS)
RECIPROCAL_FLIP = ("ratio_to_best", "distance_to_target")
NO_SPREAD = 100.0  # everyone equal under a relative method: nobody is behind the best
ABSOLUTE = ("goalposts", "distance_to_target", "bands")  # a value's score never depends on the others'
TIERED = ("lo", "hi")  # goalpost bounds that may be given per peer tier
DEFAULT_TIER = "default"


def normalise(values, how: str, direction: str = "higher", params: Mapping[str, Any] | None = None,
              tiers=None) -> np.ndarray:
    """`values` (NaN = missing) on 0–100 by method `how`; see the module docstring (R12).

    `tiers` (one per value, None = no tier) picks each value's bounds where a goalpost is a tier table.
    """
    problems = check_params(how, direction, params or {})
    if problems:
        raise ValueError("；".join(problems))
    x = np.asarray(values, dtype=float)
    full = {**PARAMETERS[how], **(params or {})}
    if how == "goalposts":
        full = {k: (by_tier(v, tiers, len(x)) if k in TIERED else v) for k, v in full.items()}
    if direction == "lower":
        x, full = _flip(x, how, full)
    if np.isnan(x).all():
        return np.full(x.shape, np.nan)  # nothing reported: nothing to compare
    return _METHODS[how](x, **full)


def check_params(how: str, direction: str, params: Mapping[str, Any]) -> list[str]:
    """Problems (Chinese, naming the parameter) with a normalisation and its parameters."""
    if how not in PARAMETERS:
        return [f"未知的标准化方法 {how!r}（可选：{'、'.join(NORMALISATIONS)}）"]
    if direction not in DIRECTIONS:
        return [f"方向 direction 应为 higher（越高越好）或 lower（越低越好），实际为 {direction!r}"]
    spec = PARAMETERS[how]
    problems = [f"{how} 不接受参数 {k!r}（可用：{'、'.join(spec) or '无'}）" for k in params if k not in spec]
    problems += [f"{how} 缺少参数 {k!r}" for k, v in spec.items() if v is REQUIRED and k not in params]
    if problems:
        return problems
    full = {**spec, **params}
    if how == "goalposts" and any(isinstance(full[k], Mapping) for k in TIERED):
        return _check_tiered_goalposts(full, direction)
    numbers = [k for k in spec if k != "bands"]
    bad = [k for k in numbers if not _is_number(full[k])]
    if bad:
        return [f"{how} 的参数 {k!r} 应为数值，实际为 {full[k]!r}" for k in bad]
    return _CHECKS.get(how, lambda p, d: [])(full, direction)


def _check_tiered_goalposts(p, direction) -> list[str]:
    """Tier tables: known tiers plus `default`, numbers only, and lo < hi in every tier."""
    from scoring.contract import TIERS

    problems = []
    for k in TIERED:
        if not isinstance(p[k], Mapping):
            continue
        if DEFAULT_TIER not in p[k]:
            problems.append(f"goalposts 的 {k} 按机构类别给出时须含 default（未填类别的机构使用）")
        unknown = [t for t in p[k] if t != DEFAULT_TIER and t not in TIERS]
        if unknown:
            problems.append(f"goalposts 的 {k} 含未知机构类别 {unknown}（可选：{'、'.join(TIERS)}、default）")
        problems += [f"goalposts 的 {k}.{t} 应为数值，实际为 {v!r}" for t, v in p[k].items() if not _is_number(v)]
    if problems:
        return problems
    tiers = sorted({t for k in TIERED if isinstance(p[k], Mapping) for t in p[k]})
    lo, hi = (by_tier(p[k], tiers, len(tiers)) for k in TIERED)
    lo, hi = np.broadcast_to(lo, len(tiers)), np.broadcast_to(hi, len(tiers))
    return [f"goalposts 要求 lo < hi，类别 {t}：lo={a:g}，hi={b:g}" for t, a, b in zip(tiers, lo, hi) if not a < b]


def by_tier(bound, tiers, n: int):
    """A goalpost bound as a number, or per value from its tier table (unknown or no tier: `default`)."""
    if not isinstance(bound, Mapping):
        return bound
    keys = [None] * n if tiers is None else list(tiers)
    return np.array([float(bound.get(t, bound[DEFAULT_TIER]) if isinstance(t, str) else bound[DEFAULT_TIER])
                     for t in keys])


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value)


def _check_goalposts(p, direction) -> list[str]:
    return [] if p["lo"] < p["hi"] else [f"goalposts 要求 lo < hi，实际 lo={p['lo']}，hi={p['hi']}"]


def _check_target(p, direction) -> list[str]:
    return [] if p["target"] > 0 else [f"distance_to_target 的目标值 target 应大于 0，实际为 {p['target']}"]


def _check_z(p, direction) -> list[str]:
    return [] if p["scale"] > 0 else [f"z_score 的 scale 应大于 0，实际为 {p['scale']}"]


def _check_rank_points(p, direction) -> list[str]:
    ok = p["step"] >= 0 and 0 <= p["floor"] <= 100
    return [] if ok else [f"rank_points 要求 step ≥ 0 且 0 ≤ floor ≤ 100，实际 step={p['step']}，floor={p['floor']}"]


def _check_bands(p, direction) -> list[str]:
    """Bands are listed best first: thresholds strictly falling (rising for a lower indicator), scores not rising."""
    bands = p["bands"]
    shaped = isinstance(bands, (list, tuple)) and len(bands) > 0 and all(
        isinstance(b, (list, tuple)) and len(b) == 2 and all(_is_number(v) for v in b) for b in bands)
    if not shaped:
        return [f"bands 应为非空的 [[门槛, 分值], …] 列表，实际为 {bands!r}"]
    sign = 1 if direction == "higher" else -1
    thresholds = [sign * t for t, _ in bands]
    scores = [s for _, s in bands] + [p["below"]]
    order = "递减" if direction == "higher" else "递增"
    problems = []
    if any(a <= b for a, b in zip(thresholds, thresholds[1:])):
        problems.append(f"bands 的门槛应从最好档起严格{order}（方向 {direction}），实际为 {[t for t, _ in bands]}")
    if any(a < b for a, b in zip(scores, scores[1:])) or not all(0 <= s <= 100 for s in scores):
        problems.append(f"bands 的分值应在 0–100 之间且从最好档起不增（含 below），实际为 {scores}")
    return problems


_CHECKS = {
    "goalposts": _check_goalposts,
    "distance_to_target": _check_target,
    "z_score": _check_z,
    "rank_points": _check_rank_points,
    "bands": _check_bands,
}


def _flip(x: np.ndarray, how: str, params: dict) -> tuple[np.ndarray, dict]:
    """A lower-is-better vector as a higher-is-better one, with its parameters (before normalising)."""
    if how in RECIPROCAL_FLIP:
        with np.errstate(divide="ignore", over="ignore"):
            flipped = 1.0 / np.clip(x, 0.0, None)  # 1/0 = +inf: zero is the best a lower ratio can be
        if how == "distance_to_target":
            params = {**params, "target": 1.0 / params["target"]}
        return flipped, params
    if how == "goalposts":
        params = {**params, "lo": -params["hi"], "hi": -params["lo"]}
    if how == "bands":
        params = {**params, "bands": [(-t, s) for t, s in params["bands"]]}
    return -x, params


def _everyone(x: np.ndarray, value: float) -> np.ndarray:
    return np.where(np.isnan(x), np.nan, value)


def _no_spread(x: np.ndarray) -> bool:
    valid = x[~np.isnan(x)]
    return valid.min() == valid.max()


def ratio_to_best(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, None)
    if _no_spread(x):
        return _everyone(x, NO_SPREAD)
    best = np.nanmax(x)
    if np.isinf(best):  # a lower-is-better zero: it is the best, every positive value is infinitely worse
        return np.where(np.isnan(x), np.nan, np.where(np.isinf(x), 100.0, 0.0))
    return 100.0 * (x / best)


def min_max(x: np.ndarray) -> np.ndarray:
    if _no_spread(x):
        return _everyone(x, NO_SPREAD)
    lo, hi = np.nanmin(x), np.nanmax(x)
    return 100.0 * ((x - lo) / (hi - lo))


def goalposts(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return 100.0 * np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def distance_to_target(x: np.ndarray, target: float) -> np.ndarray:
    return 100.0 * np.minimum(1.0, np.clip(x, 0.0, None) / target)


def _rank(x: np.ndarray, ascending: bool, ties: str) -> np.ndarray:
    """Rank 1..n of the non-missing values, tied values taking the `ties` ("max" or "min") rank
    of their block; NaN stays NaN."""
    return pd.Series(x).rank(method=ties, ascending=ascending).to_numpy()


def percentile_rank(x: np.ndarray) -> np.ndarray:
    if _no_spread(x):
        return _everyone(x, NO_SPREAD)
    n = np.count_nonzero(~np.isnan(x))
    return 100.0 * ((_rank(x, ascending=True, ties="max") - 1.0) / (n - 1))


NEAR_TIE = 1e-9  # z-score: values whose sd is below this share of the largest |value| are one value


def z_score(x: np.ndarray, center: float, scale: float) -> np.ndarray:
    valid = x[~np.isnan(x)]
    sd = valid.std()
    # values a few ulps apart have an sd of rounding noise, and z would blow it up to ±1 (found by
    # hypothesis: 0 → 1.9999999999999998 beside 2.0 lowered the improver from 40 to 35.9)
    if not sd > NEAR_TIE * np.abs(valid).max():
        return _everyone(x, center)
    bound = np.sqrt(valid.size - 1)  # |z| ≤ √(n − 1) (Samuelson): beyond it is rounding
    z = np.clip((x - valid.mean()) / sd, -bound, bound)
    return np.clip(center + scale * z, 0.0, 100.0)


def rank_points(x: np.ndarray, step: float, floor: float) -> np.ndarray:
    if _no_spread(x):
        return _everyone(x, NO_SPREAD)
    place = _rank(x, ascending=False, ties="min")  # 1 + the number of better values
    return np.maximum(floor, 100.0 - step * (place - 1))


def bands(x: np.ndarray, bands, below: float) -> np.ndarray:
    out = np.full(x.shape, float(below))
    for threshold, score in reversed(list(bands)):  # best band last, so it wins where several match
        out = np.where(x >= threshold, float(score), out)
    return np.where(np.isnan(x), np.nan, out)


_METHODS = {
    "ratio_to_best": ratio_to_best,
    "min_max": min_max,
    "goalposts": goalposts,
    "distance_to_target": distance_to_target,
    "percentile_rank": percentile_rank,
    "z_score": z_score,
    "rank_points": rank_points,
    "bands": bands,
}
