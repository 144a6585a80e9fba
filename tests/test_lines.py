"""Ranks and lines: selection k in every case (R13), stays/joins/leaves, bonus points (R14),
grades and the interview list (R15), half-up rounding; properties of ranks and bonus."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import lines
from scoring.method import load_method

NAN = math.nan
METHOD = load_method()  # the lines under test are the default method's (R13–R15)


def select(score: pd.Series, eligible: pd.Series, line: float = METHOD.lines.qualifying,
           k_min: int = METHOD.selection.k_min, k_max: int = METHOD.selection.k_max,
           ranks: pd.Series | None = None) -> frozenset:
    """The ids selected by R13 (the method's line and 3–5 unless given)."""
    table = lines.selection_table(score, eligible, line, k_min, k_max, ranks)
    return frozenset(table.index[table["selected"]])


def bonus(score):
    b = METHOD.bonus
    return lines.bonus(score, b.start, b.full, b.points, b.decimals)


def grade(score):
    return lines.grade(score, METHOD.lines.grades, METHOD.lines.lowest_grade)


def interview(grades, compliance):
    return lines.interview(grades, compliance, METHOD.interview.grades, METHOD.interview.compliance_below)


def scores(**values) -> pd.Series:
    return pd.Series(values, dtype=float)


def everyone(score: pd.Series, value: bool = True) -> pd.Series:
    return pd.Series(value, index=score.index)


# -- rounding --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, decimals, expected", [
    (2.675, 2, 2.68),  # binary 2.67499999… still rounds up: half-up on the decimal value
    (89.995, 2, 90.0),
    (0.125, 2, 0.13),
    (0.15, 1, 0.2),
    (0.55, 1, 0.6),
    (-1.005, 2, -1.01),  # away from zero, like Decimal ROUND_HALF_UP
    (73.244999, 2, 73.24),
])
def test_r14_round_half_up(value, decimals, expected):
    assert lines.round_half_up(value, decimals) == expected


# -- ranks -----------------------------------------------------------------------------------

def test_r13_rank_ties_broken_by_s1_then_id():
    score = scores(D=80, C=80, B=70, A=80)
    s1 = pd.DataFrame({"S1": [0.9, 0.95, 1.0, 0.9]}, index=["D", "C", "B", "A"])
    # the three 80s: C has the best S1 → 1; A and D tie on S1 too → id: A 2, D 3; B (70) → 4
    assert lines.rank(score, s1).to_dict() == {"D": 3, "C": 1, "B": 4, "A": 2}
    assert lines.competition_rank(score).to_dict() == {"D": 1, "C": 1, "B": 4, "A": 1}


def test_r13_rank_missing_tiebreak_comes_last_and_unscored_rank_last():
    score = scores(A=80, B=80, C=NAN, D=50)
    s1 = pd.DataFrame({"S1": [NAN, 0.7, 0.9, 0.1]}, index=["A", "B", "C", "D"])
    assert lines.rank(score, s1).to_dict() == {"B": 1, "A": 2, "D": 3, "C": 4}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([50.0, 60.0, 75.5, 90.0, NAN]), min_size=1, max_size=12))
def test_r13_rank_is_always_a_permutation(values):
    score = pd.Series(values, index=[f"I{i:02d}" for i in range(len(values))])
    ranks = lines.rank(score)
    assert sorted(ranks) == list(range(1, len(values) + 1))
    ordered = score.loc[ranks.sort_values().index].fillna(-1)
    assert ordered.is_monotonic_decreasing


# -- selection (R13) -------------------------------------------------------------------------

def test_r13_fewer_than_three_qualified_still_selects_three():
    score = scores(A=80, B=65, C=50, D=40, E=30)  # 2 at or above 60 → k = clamp(2, 3, 5) = 3
    assert select(score, everyone(score)) == {"A", "B", "C"}


def test_r13_more_than_five_qualified_selects_five():
    score = scores(A=95, B=90, C=85, D=80, E=75, F=70, G=65)  # 7 qualified → k = 5
    assert select(score, everyone(score)) == {"A", "B", "C", "D", "E"}


def test_r13_between_three_and_five_qualified_selects_them_all():
    score = scores(A=95, B=72, C=61, D=60, E=59.99, F=20)  # 60 counts (≥ line) → k = 4
    assert select(score, everyone(score)) == {"A", "B", "C", "D"}


def test_r13_group_smaller_than_three_selects_the_whole_eligible_group():
    score = scores(A=55, B=40)  # k = min(clamp(0, 3, 5), 2 candidates) = 2, below the line or not
    assert select(score, everyone(score)) == {"A", "B"}


def test_r13_ineligible_vetoed_and_unscored_are_skipped():
    score = scores(A=90, B=85, C=80, D=70, E=65, F=40, G=NAN)
    eligible = everyone(score).copy()
    eligible["B"] = False  # e.g. a leasing company below the paid-in capital threshold
    vetoed = pd.Series({"C": True})
    table = lines.selection_table(score, eligible, 60, 3, 5, vetoed=vetoed)
    # candidates A 90, D 70, E 65, F 40 (G unscored); 3 at or above 60 → k = 3
    assert set(table.index[table["selected"]]) == {"A", "D", "E"}
    assert table.loc["B", "reason"] == "不符合遴选资格"
    assert table.loc["C", "reason"] == "一票否决（当年有重大违规或风险事件）"
    assert table.loc["F", "reason"] == "评分低于合格线（60分）"
    assert table.loc["G", "reason"] == "数据不足未评分"
    assert table.loc["A", "reason"] == "综合得分排名进入前3名，入选"


def test_r13_qualified_but_outside_the_top_k():
    score = scores(A=95, B=90, C=85, D=80, E=75, F=70)
    table = lines.selection_table(score, everyone(score), 60, 3, 5)
    assert not table.loc["F", "selected"] and table.loc["F", "reason"] == "排名未进入前5名"


def test_r13_selection_follows_the_given_ranks_on_ties():
    score = scores(A=70, B=70, C=70, D=70)
    ranks = pd.Series({"D": 1, "C": 2, "B": 3, "A": 4})  # e.g. from the S1 tiebreak
    assert select(score, everyone(score), ranks=ranks) == {"D", "C", "B", "A"}  # k = 4 qualified
    low = scores(A=50, B=50, C=50, D=50)
    assert select(low, everyone(low), ranks=ranks) == {"D", "C", "B"}  # k = 3 by the clamp


def test_r13_custom_line_and_range():
    score = scores(A=95, B=85, C=75)
    assert select(score, everyone(score), line=80, k_min=1, k_max=2) == {"A", "B"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([30.0, 59.99, 60.0, 70.0, 88.0, NAN]), st.booleans()),
                min_size=0, max_size=10))
def test_r13_selection_size_rule(rows):
    score = pd.Series([s for s, _ in rows], index=[f"I{i}" for i in range(len(rows))], dtype=float)
    eligible = pd.Series([e for _, e in rows], index=score.index, dtype=bool)
    chosen = select(score, eligible)
    candidates = eligible & score.notna()
    qualified = int((candidates & (score >= 60)).sum())
    assert len(chosen) == min(max(qualified, 3), 5, int(candidates.sum()))
    assert all(candidates[i] for i in chosen)
    if chosen:  # nobody left out scores above someone selected
        worst_in = score[list(chosen)].min()
        assert not (candidates & ~score.index.isin(list(chosen)) & (score > worst_in)).any()


# -- stays / joins / leaves ----------------------------------------------------------------

def test_r13_change_between_years():
    table = lines.change({"A", "B", "C"}, {"A", "D", "E"}).set_index("inst_id")
    assert table["change"].to_dict() == {"A": "stays", "B": "joins", "C": "joins", "D": "leaves", "E": "leaves"}
    assert table.loc["A", "change_label"] == "保留" and table.loc["D", "change_label"] == "退出"
    assert list(table.columns) == ["change", "change_label"]  # the why is the selection reason


# -- bonus (R14) ---------------------------------------------------------------------------

@pytest.mark.parametrize("score, expected", [
    (60, 0.0),  # 4 × 0 / 40
    (70, 1.0),  # 4 × 10 / 40
    (80, 2.0),  # 4 × 20 / 40
    (100, 4.0),
    (59.9, 0.0),  # below the line: clamped to 0
    (61.25, 0.1),  # 4 × 1.25 / 40 = 0.125 → 0.1
    (61.5, 0.2),  # 0.15 → 0.2 half-up
    (65.5, 0.6),  # 0.55 → 0.6 half-up
    (97.4, 3.7),  # 3.74 → 3.7
    (120, 4.0),  # clamped to 4
    (NAN, 0.0),  # unscored or vetoed
])
def test_r14_bonus_points(score, expected):
    assert bonus(score) == expected


def test_r14_bonus_keeps_a_series_index():
    assert bonus(scores(A=80, B=NAN)).to_dict() == {"A": 2.0, "B": 0.0}


@settings(max_examples=200, deadline=None)
@given(st.floats(-10, 120), st.floats(0, 50))
def test_r14_bonus_in_range_and_never_decreasing(score, rise):
    low, high = bonus(score), bonus(score + rise)
    assert 0 <= low <= 4 and 0 <= high <= 4
    assert high >= low


# -- grades and interview (R15) -------------------------------------------------------------

@pytest.mark.parametrize("score, expected", [
    (90, "一级"), (89.99, "二级"), (75, "二级"), (74.99, "三级"), (60, "三级"), (59.99, "四级"), (0, "四级"),
    (100, "一级"),
])
def test_r15_grade_band_edges(score, expected):
    assert grade(score) == expected


def test_r15_unscored_has_no_grade():
    graded = grade(scores(A=NAN, B=91))
    assert pd.isna(graded["A"]) and graded["B"] == "一级"


@pytest.mark.parametrize("grade, compliance, expected", [
    ("四级", 0.95, True),  # by grade
    ("三级", 0.59, True),  # by "3个1" compliance below 60 %
    ("三级", 0.60, False),  # exactly 60 % is not below
    ("一级", 0.10, True),
    ("二级", NAN, False),  # no stage was due: compliance not judged
    (None, 0.5, True),  # unscored, still interviewed for compliance
])
def test_r15_interview(grade, compliance, expected):
    assert bool(interview(np.array([grade], dtype=object), np.array([compliance]))[0]) is expected


def test_r15_interview_on_series():
    grade = pd.Series({"A": "四级", "B": "二级"})
    got = interview(grade, pd.Series({"B": 0.9, "A": 0.5}))  # aligned by id, not position
    assert got.to_dict() == {"A": True, "B": False}


def test_r12_deductions_per_flag():
    counts = pd.DataFrame({"data_quality": [2, 0], "violation": [1, 0]}, index=["A", "B"])
    assert lines.deductions(counts, {"data_quality": 1.5}).to_dict() == {"A": 3.0, "B": 0.0}
