"""The composite (R12): hand-worked scores of a three-bank group under the default method,
contributions that add up, left-out weights, missing values, TOPSIS, entropy and CRITIC
weights, deductions, and properties (monotonicity, row order, ranks)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation_fixture import RELATIVE
from scoring import lines
from scoring.aggregate import aggregate, critic_weights, entropy_weights, score_group, topsis
from scoring.method import load_method

DEFAULT_TEXT = RELATIVE.read_text(encoding="utf-8")
BANK = ["V1", "V2", "V3", "T1", "M1", "P1", "P2", "S1", "S2", "E1", "I1"]

# Three banks chosen so that every normalised value is a round number (default method):
#        V1 ratio  V2 mm  V3 mm  T1 dist  M1 mm  P1 mm  P2 mm  S1 goal   S2 lower mm  E1 mm  I1 mm
# A        100      0.2     0     1.0     0.3    40     10     0.9        10          0      0
# B         50      0.1     5     0.5     0.3    20     10     1.0        20          1      0
# C         25      0.0    10     0.8     0.1     0     10     0.5        30         0.5    60
RAW = pd.DataFrame(
    {"V1": [100, 50, 25], "V2": [0.2, 0.1, 0.0], "V3": [0, 5, 10], "T1": [1.0, 0.5, 0.8], "M1": [0.3, 0.3, 0.1],
     "P1": [40, 20, 0], "P2": [10, 10, 10], "S1": [0.9, 1.0, 0.5], "S2": [10, 20, 30], "E1": [0, 1, 0.5],
     "I1": [0, 0, 60]},
    index=pd.Index(["A", "B", "C"], name="inst_id"))
# normalised:
NORMALISED = pd.DataFrame(
    {"V1": [100, 50, 25], "V2": [100, 50, 0], "V3": [0, 50, 100], "T1": [100, 50, 80], "M1": [100, 100, 0],
     "P1": [100, 50, 0], "P2": [100, 100, 100], "S1": [75, 100, 0], "S2": [100, 50, 0], "E1": [0, 100, 50],
     "I1": [0, 0, 100]}, index=RAW.index, dtype=float)


def variant(*replacements):
    text = DEFAULT_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return load_method(text)


def test_r12_normalised_values_of_the_fixture():
    result = score_group(RAW, load_method(RELATIVE), "bank")
    pd.testing.assert_frame_equal(result.normalised, NORMALISED, check_exact=False, atol=1e-9)


def test_r12_bank_composite_by_hand():
    # weights (of 100): V1 12, V2 5, V3 8, T1 10, M1 12, P1 13, P2 5, S1 15, S2 5, E1 7, I1 8
    # A: 1200 + 500 + 0 + 1000 + 1200 + 1300 + 500 + 15·75 + 500 + 0 + 0 = 7325 → 73.25
    # B: 600 + 250 + 400 + 500 + 1200 + 650 + 500 + 1500 + 250 + 700 + 0 = 6550 → 65.50
    # C: 300 + 0 + 800 + 800 + 0 + 0 + 500 + 0 + 0 + 350 + 800 = 3550 → 35.50
    result = score_group(RAW, load_method(RELATIVE), "bank")
    assert result.composite.to_dict() == pytest.approx({"A": 73.25, "B": 65.50, "C": 35.50})
    assert result.score.to_dict() == {"A": 73.25, "B": 65.5, "C": 35.5}
    assert result.rank.to_dict() == {"A": 1, "B": 2, "C": 3}
    assert result.contribution.loc["A", "S1"] == pytest.approx(0.15 * 75)  # 11.25 points


def test_r12_contributions_sum_to_the_composite():
    result = score_group(RAW, load_method(RELATIVE), "bank")
    np.testing.assert_allclose(result.contribution.sum(axis=1), result.composite, atol=1e-9)


def test_r12_leasing_group_leaves_m1_out():
    # leasing weights: V1 15, V2 5, V3 8, T1 12, P1 15, P2 5, S1 15, S2 5, E1 7, I1 13 (= 100, no M1)
    # A: 1500 + 500 + 0 + 1200 + 1500 + 500 + 1125 + 500 + 0 + 0 = 6825 → 68.25
    result = score_group(RAW, load_method(RELATIVE), "leasing")
    assert "M1" not in result.contribution.columns
    assert result.composite["A"] == pytest.approx(68.25)


def test_r12_a_dash_weight_renormalises_the_rest():
    # M1 left out of the bank group: 88 points of weight remain
    # A: (7325 − 1200) / 88 = 69.6022… → 69.60; B: (6550 − 1200) / 88 = 60.7954… → 60.80
    method = variant(('weights = { bank = 12, leasing = "—" }', 'weights = { bank = "—" }'))
    result = score_group(RAW, method, "bank")
    assert result.composite["A"] == pytest.approx(6125 / 88)
    assert result.score.to_dict() == {"A": 69.6, "B": 60.8, "C": 40.34}  # C: 3550 / 88 = 40.340…


def test_r12_missing_counts_zero_by_default_or_renormalises():
    raw = RAW.copy()
    raw.loc["A", "E1"] = math.nan  # E1 now over B = 1 → 100 and C = 0.5 → 0
    zero = score_group(raw, load_method(RELATIVE), "bank")
    # A: E1 counted 0 (it was 0 anyway) → 73.25; C: loses its 7·50 = 350 → 3200 → 32.00
    assert zero.score.to_dict() == {"A": 73.25, "B": 65.5, "C": 32.0}
    again = score_group(raw, variant(('missing = "zero"', 'missing = "renormalise"')), "bank")
    # A: the 93 points of weight it has data for: 7325 / 93 = 78.763… → 78.76
    assert again.score["A"] == 78.76
    np.testing.assert_allclose(again.contribution.sum(axis=1), again.composite, atol=1e-9)


def test_r12_renormalise_with_no_data_at_all_is_unscored():
    raw = RAW.copy()
    raw.loc["C"] = math.nan
    result = score_group(raw, variant(('missing = "zero"', 'missing = "renormalise"')), "bank")
    assert math.isnan(result.score["C"]) and result.rank["C"] == 3


def test_r12_deductions_come_off_the_published_score():
    result = score_group(RAW, load_method(RELATIVE), "bank", deductions=pd.Series({"A": 10.0}))
    # A: 73.25 − 10 = 63.25 < B 65.50: B now ranks first; the composite itself is unchanged
    assert result.score["A"] == 63.25 and result.composite["A"] == pytest.approx(73.25)
    assert result.rank.to_dict() == {"B": 1, "A": 2, "C": 3}


def test_r13_identical_banks_tie_and_the_id_decides():
    raw = pd.concat([RAW, RAW.loc[["A"]].rename(index={"A": "0A"})])  # "0A" < "A", though listed last
    result = score_group(raw, load_method(RELATIVE), "bank")
    assert result.score["0A"] == result.score["A"]
    assert result.rank[["0A", "A"]].tolist() == [1, 2]
    assert result.competition_rank[["0A", "A"]].tolist() == [1, 1]


@pytest.mark.parametrize("how", ["weighted_mean", "topsis"])
def test_r12_empty_and_single_member_groups(how):
    method = variant(('method = "weighted_mean"', f'method = "{how}"'))
    empty = score_group(RAW.iloc[:0], method, "leasing")
    assert empty.score.empty and empty.rank.empty
    single = score_group(RAW.loc[["C"]], method, "leasing")
    if how == "weighted_mean":
        # relative methods give the lone member 100; T1 0.8 → 80 (12 of weight), S1 0.5 → 0 (15):
        # 100 − 12·20/100 − 15·100/100 = 100 − 2.4 − 15 = 82.6
        assert single.score["C"] == 82.6
    else:
        assert single.score["C"] == 100.0  # the only alternative is its own ideal
    assert single.rank["C"] == 1


def test_r12_missing_column_is_a_clear_error():
    with pytest.raises(KeyError, match="原始指标缺少列：S2"):
        score_group(RAW.drop(columns="S2"), load_method(RELATIVE), "bank")


def test_r12_raw_values_may_be_decimals():
    from decimal import Decimal
    raw = RAW.astype(object)
    raw["V1"] = [Decimal("100.00"), Decimal("50.00"), Decimal("25.00")]
    assert score_group(raw, load_method(RELATIVE), "bank").score["A"] == 73.25


# -- TOPSIS, entropy, CRITIC ---------------------------------------------------------------

def test_r12_topsis_by_hand():
    # columns [100, 0, 100] and [0, 100, 100], norms 141.42: r = 0.7071 where 100
    # weights 0.75/0.25: A v = (0.5303, 0), B v = (0, 0.1768), C = ideal (0.5303, 0.1768), anti = 0
    # A: D+ = 0.1768, D− = 0.5303 → 0.75; B: D+ = 0.5303, D− = 0.1768 → 0.25; C → 1
    closeness = topsis(np.array([[100.0, 0.0], [0.0, 100.0], [100.0, 100.0]]), np.array([0.75, 0.25]))
    np.testing.assert_allclose(closeness, [0.75, 0.25, 1.0], atol=1e-12)


def test_r12_topsis_everyone_identical_gets_full_closeness():
    np.testing.assert_allclose(topsis(np.full((3, 2), 40.0), np.array([0.5, 0.5])), [1, 1, 1])


def test_r12_topsis_composite_and_its_contributions():
    method = variant(('method = "weighted_mean"', 'method = "topsis"'))
    result = score_group(RAW, method, "bank")
    expected = 100 * topsis(NORMALISED.to_numpy(), method.weights("bank").to_numpy())
    np.testing.assert_allclose(result.composite, expected, atol=1e-9)
    np.testing.assert_allclose(result.contribution.sum(axis=1), result.composite, atol=1e-9)
    assert result.rank.to_dict() == {"A": 1, "B": 2, "C": 3}


def test_r12_entropy_weights_by_hand():
    # col 1 [1, 1]: p = ½, ½ → e = 1 → d = 0
    # col 2 [1, 3]: p = ¼, ¾ → e = −(¼ ln ¼ + ¾ ln ¾) / ln 2 = 0.811278 → d = 0.188722
    # col 3 [0, 2]: p = 0, 1 → e = 0 → d = 1            weights = d / 1.188722
    weights = entropy_weights(np.array([[1.0, 1.0, 0.0], [1.0, 3.0, 2.0]]))
    e2 = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    d = np.array([0.0, 1 - e2, 1.0])
    np.testing.assert_allclose(weights, d / d.sum(), atol=1e-12)


def test_r12_critic_weights_by_hand():
    # min–max scaled: c1 = [0, ½, 1], c2 = [1, ½, 0], c3 = c1; sd (ddof 1) = ½ each
    # r12 = −1, r13 = 1, r23 = −1: C1 = ½·(0 + 2 + 0) = 1, C2 = ½·(2 + 0 + 2) = 2, C3 = 1 → ¼, ½, ¼
    weights = critic_weights(np.array([[0.0, 2.0, 0.0], [1.0, 1.0, 5.0], [2.0, 0.0, 10.0]]))
    np.testing.assert_allclose(weights, [0.25, 0.5, 0.25], atol=1e-12)


def test_r12_objective_weights_undefined_fall_back_to_fixed():
    assert entropy_weights(np.array([[1.0, 2.0]])) is None  # one institution
    assert critic_weights(np.full((3, 2), 5.0)) is None  # nothing varies
    method = variant(('weighting = "fixed"', 'weighting = "entropy"'))
    single = score_group(RAW.loc[["A"]], method, "bank")
    assert single.weighting == "fixed"
    assert single.weights.to_dict() == pytest.approx(method.weights("bank").to_dict())


@pytest.mark.parametrize("weighting", ["entropy", "critic"])
def test_r12_objective_weights_score_the_group(weighting):
    method = variant(('weighting = "fixed"', f'weighting = "{weighting}"'))
    result = score_group(RAW, method, "bank")
    assert result.weighting == weighting
    assert result.weights.sum() == pytest.approx(1.0)
    assert result.weights["P2"] == pytest.approx(0.0)  # P2 is 100 for everyone: it tells nothing
    np.testing.assert_allclose(result.contribution.sum(axis=1), result.composite, atol=1e-9)


def test_r12_aggregate_broadcasts_over_many_weight_vectors():
    normalised = NORMALISED.to_numpy()
    weights = np.array([[0.5] * 2 + [0.0] * 9, [1.0 / 11] * 11])
    parts = aggregate(normalised, weights)
    assert parts.shape == (2, 3, 11)
    # first vector: mean of V1 and V2 → A (100 + 100)/2 = 100, B 50, C 12.5
    np.testing.assert_allclose(parts[0].sum(axis=1), [100, 50, 12.5])


# -- properties ----------------------------------------------------------------------------

levels = st.sampled_from([0.0, 0.2, 0.5, 0.6, 0.8, 1.0, 3.0, 10.0])
NORMALISATION_VARIANTS = ["min_max", "percentile_rank", "z_score", "rank_points", "ratio_to_best"]


def raw_group(draw_values, n):
    return pd.DataFrame(np.array(draw_values, dtype=float).reshape(n, len(BANK)), columns=BANK,
                        index=pd.Index([f"I{i}" for i in range(n)], name="inst_id"))


@st.composite
def groups(draw):
    n = draw(st.integers(2, 6))
    return raw_group(draw(st.lists(levels, min_size=n * len(BANK), max_size=n * len(BANK))), n)


METHODS = {how: load_method(DEFAULT_TEXT.replace('normalisation = "min_max"', f'normalisation = "{how}"'))
           for how in NORMALISATION_VARIANTS}


@settings(max_examples=80, deadline=None)
@given(groups(), st.sampled_from(NORMALISATION_VARIANTS), st.integers(0, 5), st.sampled_from(BANK),
       st.sampled_from([0.1, 0.5, 2.0]))
def test_r12_improving_an_indicator_never_lowers_the_own_composite(raw, how, pick, indicator, step):
    """Weighted mean, fixed weights, every normalisation (the default's ratio, goalposts,
    distance and lower-is-better S2 included): the institution's own composite cannot fall.
    With the others' values held fixed their composites never rise — except under z-score,
    where a better value can raise the others too, so the own RANK is only guaranteed otherwise."""
    method = METHODS[how]
    who = raw.index[pick % len(raw)]
    better = raw.copy()
    better.loc[who, indicator] += -step if method.indicator(indicator).direction == "lower" else step
    before, after = score_group(raw, method, "bank"), score_group(better, method, "bank")
    assert after.composite[who] >= before.composite[who] - 1e-9
    if how != "z_score":
        others = raw.index != who
        assert (after.composite[others] <= before.composite[others] + 1e-9).all()
        assert after.competition_rank[who] <= before.competition_rank[who]


@settings(max_examples=40, deadline=None)
@given(groups(), st.randoms(use_true_random=False), st.sampled_from(["weighted_mean", "topsis"]))
def test_r12_results_do_not_depend_on_row_order(raw, rnd, how):
    method = variant(('method = "weighted_mean"', f'method = "{how}"'))
    order = list(raw.index)
    rnd.shuffle(order)
    a, b = score_group(raw, method, "bank"), score_group(raw.loc[order], method, "bank")
    pd.testing.assert_series_equal(a.score, b.score.loc[raw.index])
    pd.testing.assert_series_equal(a.rank, b.rank.loc[raw.index])


@settings(max_examples=50, deadline=None)
@given(groups())
def test_r13_ranks_are_a_permutation_and_follow_the_score(raw):
    result = score_group(raw, load_method(RELATIVE), "bank")
    assert sorted(result.rank) == list(range(1, len(raw) + 1))
    ordered = result.score.loc[result.rank.sort_values().index]
    assert ordered.is_monotonic_decreasing
    assert ((result.composite >= 0) & (result.composite <= 100 + 1e-9)).all()


# -- goalposts: a grade means the same whoever else reported (R12, R15) ----------------------

TIER_CHOICES = st.sampled_from([None, "big", "joint", "local", "village", "policy"])
BANK_ROW = st.fixed_dictionaries({
    "V1": st.floats(0, 6e9), "V2": st.floats(-1, 3), "V3": st.integers(0, 600), "T1": st.floats(0, 1),
    "M1": st.floats(0, 1), "P1": st.floats(-150, 150), "P2": st.floats(-50, 50), "S1": st.floats(0, 1),
    "S2": st.floats(1, 30), "E1": st.floats(0, 1), "I1": st.floats(0, 100), "tier": TIER_CHOICES,
})


def bank_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=pd.Index([f"B{i:02d}" for i in range(len(rows))], name="inst_id"))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(BANK_ROW, min_size=2, max_size=8), newcomer=BANK_ROW, leaver=st.integers(1, 7))
def test_r15_goalpost_grades_do_not_move_when_another_institution_joins_or_leaves(rows, newcomer, leaver):
    """Under the default goalposts an institution's score, and so its grade, depends on its own
    values and tier only: adding one more bank or removing another changes nothing for the rest."""
    method = load_method()  # the default: every graded indicator on absolute (tiered) goalposts
    base = score_group(bank_frame(rows), method, "bank")
    grades = lines.grade(base.score, method.lines.grades, method.lines.lowest_grade)

    joined = score_group(bank_frame([*rows, newcomer]), method, "bank")
    pd.testing.assert_series_equal(joined.score.iloc[:len(rows)], base.score)
    pd.testing.assert_series_equal(
        lines.grade(joined.score, method.lines.grades, method.lines.lowest_grade).iloc[:len(rows)], grades)

    gone = leaver % len(rows)
    left = score_group(bank_frame(rows).drop(index=f"B{gone:02d}"), method, "bank")
    pd.testing.assert_series_equal(left.score, base.score.drop(index=f"B{gone:02d}"))


def test_r15_relative_grades_do_move_when_a_stronger_bank_joins():
    """The positive control: under ratio to best the same bank drops a grade when a bigger one reports."""
    method = load_method(RELATIVE)
    one = {"V1": 1e9, "V2": 0.2, "V3": 100, "T1": 0.8, "M1": 0.2, "P1": 20, "P2": 5, "S1": 0.95, "S2": 6,
           "E1": 0.5, "I1": 40}
    weaker = {k: v / 2 for k, v in one.items()}
    stronger = {k: v * 3 for k, v in one.items()} | {"S1": 1.0, "S2": 2}
    before = score_group(bank_frame([one, weaker]), method, "bank").score.iloc[0]
    after = score_group(bank_frame([one, weaker, stronger]), method, "bank").score.iloc[0]
    assert after < before
    default = load_method()
    assert (score_group(bank_frame([one, weaker]), default, "bank").score.iloc[0]
            == score_group(bank_frame([one, weaker, stronger]), default, "bank").score.iloc[0])
