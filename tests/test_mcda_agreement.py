"""Our entropy weights, CRITIC weights and TOPSIS agree with an established MCDA library,
pymcdm 1.4 (METHOD.md: "results agree with an established MCDA library on the same matrix", R12).

pymcdm's conventions, read from its source: entropy_weights sum-normalises each column
(strictly positive values) and uses e_j = −Σ p ln p / ln n; critic_weights min–max scales,
sd with ddof 1 and Pearson r; TOPSIS with vector_normalization turns a cost column into
1 − x/‖x‖ and then takes the column max as ideal — the same distances as the textbook
ideal = min for a cost column, which is what scoring.aggregate.topsis does.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.aggregate import critic_weights, entropy_weights, topsis

SHAPES = [(3, 2), (5, 4), (12, 11), (40, 11), (41, 5)]
SEEDS = range(6)


# pymcdm is imported where it is used: it loads matplotlib (about a second), which only the xdist worker
# running this module needs, not every worker collecting it.
def pymcdm_entropy(x):
    from pymcdm.weights import entropy_weights as theirs
    return theirs(x)


def pymcdm_critic(x):
    from pymcdm.weights import critic_weights as theirs
    return theirs(x)


def pymcdm_topsis(x, weights, types):
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization
    return TOPSIS(normalization_function=vector_normalization)(x, weights, types)


def matrix(shape, seed, low=0.01, high=100.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_r12_entropy_weights_match_pymcdm(shape, seed):
    x = matrix(shape, seed)
    np.testing.assert_allclose(entropy_weights(x), pymcdm_entropy(x), rtol=0, atol=1e-9)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_r12_critic_weights_match_pymcdm(shape, seed):
    x = matrix(shape, seed, low=-50.0)
    np.testing.assert_allclose(critic_weights(x), pymcdm_critic(x), rtol=0, atol=1e-9)


@pytest.mark.filterwarnings("ignore:Alternatives with indices")
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_r12_topsis_matches_pymcdm(shape, seed):
    rng = np.random.default_rng(1000 + seed)
    x = matrix(shape, seed)
    weights = rng.uniform(0.1, 1.0, shape[1])
    weights /= weights.sum()
    types = rng.choice([1, -1], shape[1])
    ours = topsis(x, weights, types)
    theirs = pymcdm_topsis(x, weights, types)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


@pytest.mark.filterwarnings("ignore:Alternatives with indices")  # pymcdm's note on dominated rows
@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12).flatmap(
    lambda n: arrays(np.float64, (n, 4), elements=st.floats(0.001, 1e6, allow_subnormal=False))))
def test_r12_entropy_and_topsis_match_pymcdm_on_any_positive_matrix(x):
    if np.all(np.ptp(x, axis=0) == 0) or entropy_weights(x) is None:
        # nothing varies (or only in the last bits: total divergence ≤ 1e-12, which hypothesis finds with
        # columns like [1e6, 999999.9999999999]): pymcdm divides ~0 by ~0, ours falls back to the fixed weights
        return
    # a weight is a column's divergence over their total: rounding of 1e-16 in the entropies becomes
    # 1e-16 / total in the weights, so a nearly flat matrix (total 1e-7) agrees to 1e-9 only (hypothesis
    # found one: 1.0000000020 against 1.0000000010)
    shares = x / x.sum(axis=0)
    total = np.sum(1 + np.sum(shares * np.log(shares), axis=0) / np.log(len(x)))
    np.testing.assert_allclose(entropy_weights(x), pymcdm_entropy(x), rtol=0, atol=max(1e-9, 1e-15 / total))
    weights = np.full(4, 0.25)
    theirs = pymcdm_topsis(x, weights, np.ones(4, dtype=int))
    np.testing.assert_allclose(topsis(x, weights), theirs, rtol=0, atol=1e-9)
