"""Robustness of ranks (METHOD.md "results", R12–R13): percentiles, selection shares,
the degenerate case that must reproduce the base result, speed, and drop-one."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation_fixture import RELATIVE
from scoring import lines
from scoring.aggregate import score_group
from scoring.method import load_method
from scoring.robustness import drop_one, nearest_rank, robustness

DEFAULT_TEXT = RELATIVE.read_text(encoding="utf-8")
BANK = ["V1", "V2", "V3", "T1", "M1", "P1", "P2", "S1", "S2", "E1", "I1"]


def variant(*replacements):
    text = DEFAULT_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return load_method(text)


def random_group(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.uniform(0, 1, (n, len(BANK))), columns=BANK,
                        index=pd.Index([f"B{i:02d}" for i in range(n)], name="inst_id"))


def test_r12_nearest_rank_percentiles_by_hand():
    values = np.arange(1, 21)  # 20 sorted ranks
    # p05: ⌈0.05·20⌉ = 1st → 1; median: ⌈0.5·20⌉ = 10th → 10; p95: ⌈0.95·20⌉ = 19th → 19
    assert (nearest_rank(values, 5), nearest_rank(values, 50), nearest_rank(values, 95)) == (1, 10, 19)
    three = np.array([1, 2, 9])
    # ⌈0.15⌉ = 1st → 1; ⌈1.5⌉ = 2nd → 2; ⌈2.85⌉ = 3rd → 9
    assert (nearest_rank(three, 5), nearest_rank(three, 50), nearest_rank(three, 95)) == (1, 2, 9)


def test_r12_no_perturbation_reproduces_the_base_result():
    """Weight factor 1 and only the method's own normalisation: every draw is the base evaluation."""
    method = variant(("weight_factor = [0.75, 1.25]", "weight_factor = [1.0, 1.0]"),
                     ('normalisations = ["as_specified", "min_max", "percentile_rank", "z_score"]',
                      'normalisations = ["as_specified"]'))
    raw = random_group(12, seed=3)
    base = score_group(raw, method, "bank")
    result = robustness(raw, method, "bank", draws=50).set_index("inst_id")
    for column in ("median_rank", "rank_p05", "rank_p95"):
        assert result[column].to_dict() == base.rank.to_dict()
    table = lines.selection_table(base.score, pd.Series(True, index=raw.index), method.lines.qualifying,
                                  method.selection.k_min, method.selection.k_max, base.rank)
    selected = set(table.index[table["selected"]])
    assert result["selection_share"].to_dict() == {i: float(i in selected) for i in raw.index}


def test_r12_dominant_and_dominated_institutions_never_move():
    raw = random_group(10, seed=5)
    raw.loc["B00"] = 2.0  # best on every indicator (S2 is lower-is-better: worst there, fix below)
    raw.loc["B00", "S2"] = -1.0
    raw.loc["B09"] = -1.0
    raw.loc["B09", "S2"] = 2.0
    result = robustness(raw, load_method(RELATIVE), "bank", draws=300).set_index("inst_id")
    assert result.loc["B00", ["median_rank", "rank_p05", "rank_p95"]].tolist() == [1, 1, 1]
    assert result.loc["B00", "selection_share"] == 1.0
    assert result.loc["B09", ["median_rank", "rank_p05", "rank_p95"]].tolist() == [10, 10, 10]


def test_r13_ineligible_never_selected_in_any_draw():
    raw = random_group(8, seed=11)
    eligible = pd.Series(True, index=raw.index)
    eligible["B03"] = False
    result = robustness(raw, load_method(RELATIVE), "bank", draws=200, eligible=eligible).set_index("inst_id")
    assert result.loc["B03", "selection_share"] == 0.0
    # k is at least 3 of the 7 eligible in every draw: shares add up to between 3 and 5
    assert 3 <= result["selection_share"].sum() <= 5


def test_r12_empty_group_gives_an_empty_table():
    result = robustness(random_group(0, seed=1), load_method(RELATIVE), "bank", draws=10)
    assert result.empty and "selection_share" in result.columns


def test_r16_district_group_has_no_selection():
    rng = np.random.default_rng(2)
    raw = pd.DataFrame(rng.uniform(0, 1, (6, 5)), columns=["D1", "D2", "D3", "D4", "D5"],
                       index=pd.Index([f"50{i:04d}" for i in range(6)], name="district_code"))
    result = robustness(raw, load_method(RELATIVE), "district", draws=100)
    assert list(result.columns) == ["district_code", "median_rank", "rank_p05", "rank_p95", "selection_share"]
    assert result["selection_share"].isna().all()


def test_r12_same_seed_same_result_and_row_order_irrelevant():
    raw = random_group(15, seed=8)
    a = robustness(raw, load_method(RELATIVE), "bank", draws=200, seed=42)
    b = robustness(raw.iloc[::-1], load_method(RELATIVE), "bank", draws=200, seed=42)
    pd.testing.assert_frame_equal(a.set_index("inst_id"), b.set_index("inst_id").loc[a["inst_id"]])


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 9), st.integers(0, 10_000), st.sampled_from(["weighted_mean", "topsis"]))
def test_r12_percentiles_ordered_and_shares_in_range(n, seed, how):
    method = variant(('method = "weighted_mean"', f'method = "{how}"'))
    result = robustness(random_group(n, seed), method, "bank", draws=100, seed=seed)
    assert (result["rank_p05"] <= result["median_rank"]).all()
    assert (result["median_rank"] <= result["rank_p95"]).all()
    assert result["rank_p05"].min() >= 1 and result["rank_p95"].max() <= n
    assert result["selection_share"].between(0, 1).all()


# -- drop one ----------------------------------------------------------------------------------

BANK_WEIGHT_LINES = {  # each indicator's weights line in the default file, unique there
    "P1": "weights = { bank = 13, leasing = 15 }",
    "V1": "weights = { bank = 12, leasing = 15 }",
    "M1": 'weights = { bank = 12, leasing = "—" }',
}


def test_r12_drop_one_equals_scoring_without_that_indicator():
    raw = random_group(9, seed=21)
    frame = drop_one(raw, load_method(RELATIVE), "bank")
    assert len(frame) == 9 * 11
    base = score_group(raw, load_method(RELATIVE), "bank").rank
    for dropped, line in BANK_WEIGHT_LINES.items():
        without = variant((line, line.replace("bank = 13", 'bank = "—"').replace("bank = 12", 'bank = "—"')))
        expected = score_group(raw, without, "bank").rank
        got = frame[frame["dropped"] == dropped].set_index("inst_id")
        assert got["rank"].to_dict() == expected.to_dict()
        assert (got["shift"] == got["rank"] - base.loc[got.index]).all()


def test_r12_drop_one_by_hand():
    # The three banks of test_aggregate: A 73.25, B 65.50, C 35.50 (weights of 100).
    # Without V3 (A 0, B 50, C 100; weight 8): A 7325/92 = 79.62, B 6150/92 = 66.85, C 2750/92 = 29.89
    # A leads B by 775 points of weight × score; no single indicator gives A more than P1's 650,
    # B leads C by 3000, no indicator more than M1's 1200: dropping any one changes no rank
    raw = pd.DataFrame(
        {"V1": [100, 50, 25], "V2": [0.2, 0.1, 0.0], "V3": [0, 5, 10], "T1": [1.0, 0.5, 0.8], "M1": [0.3, 0.3, 0.1],
         "P1": [40, 20, 0], "P2": [10, 10, 10], "S1": [0.9, 1.0, 0.5], "S2": [10, 20, 30], "E1": [0, 1, 0.5],
         "I1": [0, 0, 60]}, index=pd.Index(["A", "B", "C"], name="inst_id"))
    frame = drop_one(raw, load_method(RELATIVE), "bank")
    assert (frame["shift"] == 0).all()
    assert frame[frame["dropped"] == "V3"].set_index("inst_id")["rank"].to_dict() == {"A": 1, "B": 2, "C": 3}
    # Two banks equal everywhere except: C has V1 (ratio: C 100, B2 0), B2 has M1 (min–max: B2 100, C 0).
    # Both weigh 12, so the composites tie and the id decides: B2 1, C 2.
    # Without M1: C leads by V1 → C 1, B2 2 (B2 shift +1, C −1). Without V1: B2 leads → no shift.
    two = pd.DataFrame(0.5, index=pd.Index(["B2", "C"], name="inst_id"), columns=BANK)
    two.loc["C", "M1"], two.loc["B2", "M1"] = 0.0, 1.0
    two.loc["C", "V1"], two.loc["B2", "V1"] = 1.0, 0.0
    got = drop_one(two, load_method(RELATIVE), "bank").set_index(["dropped", "inst_id"])
    assert got.loc[("M1", "B2"), "shift"] == 1 and got.loc[("M1", "C"), "shift"] == -1
    assert got.loc[("V1", "B2"), "shift"] == 0


def test_r12_drop_one_with_a_single_indicator_has_nothing_to_drop():
    text = DEFAULT_TEXT.replace("weights = { district = 25 }", 'weights = { district = "—" }')  # D1, D4
    text = text.replace("weights = { district = 20 }", 'weights = { district = "—" }')  # D3
    text = text.replace("weights = { district = 15 }", 'weights = { district = "—" }', 1)  # D2; D5 stays
    raw = pd.DataFrame({"D5": [0.7, 0.9]}, index=pd.Index(["a", "b"], name="district_code"))
    assert drop_one(raw, load_method(text), "district").empty
