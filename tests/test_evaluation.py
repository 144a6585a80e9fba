"""R12–R15 — the evaluation pipeline end to end on the hand-worked fixture, and on the demo.

Raw values are those of tests/test_indicators.py. Default bank weights (sum 100):
V1 12, V2 5, V3 8, T1 10, M1 12, P1 13, P2 5, S1 15, S2 5, E1 7, I1 8.
Leasing (M1 left out, sum 100): V1 15, V2 5, V3 8, T1 12, P1 15, P2 5, S1 15, S2 5, E1 7, I1 13.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evaluation_fixture as fx
from scoring import bootstrap
from scoring.evaluation import ROBUST, evaluate
from scoring.method import DEFAULT_METHOD, load_method
from scoring.period import Period

INSTITUTION_INDICATORS = load_method().registry.ids("institution")

REQUIRED = ["inst_id", "name", "peer_group", "score", "rank", "grade", "interview", "selected", "change", "bonus",
            "median_rank", "rank_p05", "rank_p95", "selection_share", "status", "reason"]


@pytest.fixture(scope="module")
def result(con):
    return evaluate(con, fx.YEAR, fx.RELATIVE, draws=200)


@pytest.fixture(scope="module")
def table(result):
    return result.institutions.set_index("inst_id")


def test_r12_result_has_every_required_column(result):
    assert set(REQUIRED) <= set(result.institutions.columns)
    for i in INSTITUTION_INDICATORS:
        assert {f"{i}_raw", f"{i}_norm", f"{i}_contrib"} <= set(result.institutions.columns), i
    assert len(result.institutions) == 9


def test_r12_composite_of_b1_by_hand(table):
    # min–max over the three scored banks B1, B2, B3 (lower S2 flipped first):
    # V1 ratio to best 100/100 → 100 × 0.12 = 12        V2 (1 − (−0.2)) / (3 − (−0.2)) = 37.5 × 0.05 = 1.875
    # V3 (7 − 3)/(7 − 3) → 100 × 0.08 = 8               T1 0.025 of target 1 → 2.5 × 0.10 = 0.25
    # M1 (0.1 − 0)/(0.8333 − 0) = 12 × 0.12 = 1.44      P1 (14 − 11)/(41.667 − 11) = 9.7826 × 0.13 = 1.27174
    # P2 max → 100 × 0.05 = 5                            S1 goalposts (5/6 − 0.6)/0.4 = 58.333 × 0.15 = 8.75
    # S2 (10 − 7.5)/(10 − 5) = 50 × 0.05 = 2.5           E1 max → 100 × 0.07 = 7;  I1 max → 100 × 0.08 = 8
    # composite = 12 + 1.875 + 8 + 0.25 + 1.44 + 1.27174 + 5 + 8.75 + 2.5 + 7 + 8 = 56.08674
    b1 = table.loc["B1"]
    assert b1["composite"] == pytest.approx(56.086739, abs=1e-6)
    assert b1["score"] == 56.09
    assert b1["V2_contrib"] == pytest.approx(1.875)
    assert b1["S1_norm"] == pytest.approx(175 / 3)


def test_r12_missing_value_scores_zero_and_deductions_apply(table):
    # B3 has no eligible approval: E1 empty → 0 points; composite
    # 2.88 (V1 24) + 0.074 (T1) + 12 (M1) + 13 (P1) + 15 (S1) + 5 (S2) = 47.954
    assert table.loc["B3", "E1_contrib"] == 0
    assert table.loc["B3", "composite"] == pytest.approx(47.954)
    # L1: 9 (V1 30/50) + 5 (V2, all equal) + 8 (V3) + 0.21 (T1) + 7.5 (P1) + 5 (P2) + 13 (I1) = 47.71,
    # less 1 point for its data-quality flag
    assert table.loc["L1", "composite"] == pytest.approx(47.71)
    assert (table.loc["L1", "deduction"], table.loc["L1", "score"]) == (1.0, 46.71)


def test_r12_contributions_add_up_to_the_composite(table):
    scored = table[table["status"] == "scored"]
    contributions = scored[[f"{i}_contrib" for i in INSTITUTION_INDICATORS]].fillna(0).sum(axis=1)
    assert contributions.to_numpy() == pytest.approx(scored["composite"].to_numpy())


def test_r12_ranks_within_each_peer_group(table):
    assert table.loc[["B1", "B3", "B2"], "rank"].tolist() == [1, 2, 3]
    assert table.loc[["L1", "L2", "L3"], "rank"].tolist() == [1, 2, 3]


def test_r12_vetoed_and_thin_institutions_are_listed_not_ranked(table):
    for inst in ("B4", "B5", "B6"):
        row = table.loc[inst]
        assert pd.isna(row["rank"]) and pd.isna(row["score"])
        assert not row["selected"] and row["bonus"] == 0 and row["reason"]
    assert table.loc["B5", "status_label"] == "一票否决"


def test_r13_selection_with_stays_joins_leaves(table):
    # banks: three candidates, none at 60 → k = max(3, 0) = 3 → B1, B3, B2; 2025 list B1, B2, B5
    assert set(table.index[table["selected"]]) == {"B1", "B2", "B3", "L1", "L3"}
    assert table.loc[["B1", "B2", "B3", "B5"], "change"].tolist() == ["stays", "stays", "joins", "leaves"]
    assert table.loc["B5", "selection_reason"].startswith("一票否决")
    # leasing: L2 is ineligible, so only two candidates → both selected; L2 leaves the 2025 list
    assert table.loc[["L1", "L2", "L3"], "change"].tolist() == ["stays", "leaves", "joins"]
    assert "实缴资本" in table.loc["L2", "selection_reason"]
    assert table.loc["L2", "change_label"] == "退出"
    assert table["change"].isna()["B4"]  # on neither list


def test_r15_grades_and_interview_under_the_default_lines(table):
    scored = table[table["status"] == "scored"]
    assert set(scored["grade"]) == {"四级"}  # every score below 60
    assert scored["interview"].all()
    # the reason names the score and the two indicators that cost the most points (weight share × (100 − score))
    reason = table.loc["B1", "interview_reason"]
    assert reason.startswith(f"综合评价等级为四级（{table.loc['B1', 'score']:.2f}分），失分最多的是")
    shares = load_method(fx.RELATIVE).weights("bank")
    lost = pd.Series({i: 100 * s - table.loc["B1", f"{i}_contrib"] for i, s in shares.items()})
    first, second = lost.sort_values(ascending=False).index[:2]
    names = [load_method(fx.RELATIVE).indicator(i).name for i in (first, second)]
    assert reason.index(names[0]) < reason.index(names[1])


def test_r12_robustness_columns_are_ordered(table):
    scored = table[table["status"] == "scored"]
    assert (scored["rank_p05"] <= scored["median_rank"]).all() and (scored["median_rank"] <= scored["rank_p95"]).all()
    assert scored["selection_share"].between(0, 1).all()
    assert table.loc["L2", "selection_share"] == 0  # ineligible: never selected in any draw


def test_r12_drop_one_covers_every_indicator_of_each_group(result):
    banks = result.drop_one[result.drop_one["peer_group"] == "bank"]
    leasing = result.drop_one[result.drop_one["peer_group"] == "leasing"]
    assert len(banks) == 3 * 11 and len(leasing) == 3 * 10  # M1 is not a leasing indicator
    assert (banks["shift"] == banks["rank"] - banks["base_rank"]).all()


def _method_with(**replacements) -> str:
    text = fx.RELATIVE.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def test_r14_r15_lines_come_from_the_method_file(con):
    text = _method_with(**{
        'grades = [["一级", 90], ["二级", 75], ["三级", 60]]': 'grades = [["一级", 55], ["二级", 45], ["三级", 30]]',
        "qualifying = 60": "qualifying = 45",
        "start = 60": "start = 40",
        "full = 100": "full = 80",
        "compliance_below = 0.60": "compliance_below = 0.90",
    })
    table = evaluate(con, fx.YEAR, text, draws=50).institutions.set_index("inst_id")
    # grades: B1 56.09 ≥ 55 一级; B3 47.95 ≥ 45 二级; B2 12.44 < 30 四级
    assert table.loc[["B1", "B3", "B2"], "grade"].tolist() == ["一级", "二级", "四级"]
    # bonus = 4 × (score − 40) / 40 half-up to 0.1: B1 4 × 16.09 / 40 = 1.609 → 1.6; B3 0.795 → 0.8; B2 0
    assert table.loc[["B1", "B3", "B2"], "bonus"].tolist() == [1.6, 0.8, 0.0]
    # interview: B1 is 一级 but its 5/6 compliance is below 0.90; B3 (compliance 1.0) is not called
    assert table.loc["B1", "interview"] and "达标率83.3%，低于90%" in table.loc["B1", "interview_reason"]
    assert not table.loc["B3", "interview"]
    # two banks reach 45 → k = max(3, 2) = 3 all the same
    assert table.loc[["B1", "B3", "B2"], "selected"].all()


flags = st.sets(st.sampled_from(["B1", "B2", "B3", "L1", "L3"]), max_size=3)
listed = st.sets(st.sampled_from([row[0] for row in fx.INSTITUTIONS if row[2] in ("bank", "leasing")]))


@pytest.mark.slow  # hypothesis examples that each evaluate a database
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(vetoed=flags, before=listed)
def test_r13_selection_invariants_under_any_vetoes_and_previous_list(con, vetoed, before):
    cursor = con.cursor()
    try:
        cursor.execute("delete from cooperation")
        for i, inst in enumerate(sorted(vetoed)):
            cursor.execute("insert into flags values (?, ?, 2025, 'violation', null)", [f"H{i}", inst])
        for inst in sorted(before):
            cursor.execute("insert into cooperation values (2025, ?, 'call')", [inst])
        table = evaluate(cursor, fx.YEAR, fx.RELATIVE, draws=10).institutions.set_index("inst_id")
    finally:  # the module's other tests read the fixture as built
        cursor.execute("delete from flags where flag_id like 'H%'")
        cursor.execute("delete from cooperation")
        cursor.executemany("insert into cooperation values (?, ?, ?)", fx.COOPERATION)
    selected = set(table.index[table["selected"]])
    assert not selected & (vetoed | {"B5"})  # a vetoed institution is never selected (R13)
    assert all(table.loc[list(selected), "eligible"]) and all(table.loc[list(selected), "status"] == "scored")
    for group, rows in table.groupby("peer_group"):
        candidates = rows[(rows["status"] == "scored") & rows["eligible"]]
        k = min(5, max(3, sum(candidates["score"] >= 60)))  # R13: qualified, clamped to 3…5
        assert sum(rows["selected"]) == min(k, len(candidates))
    assert set(table.index[table["change"] == "stays"]) == selected & before
    assert set(table.index[table["change"] == "joins"]) == selected - before
    assert set(table.index[table["change"] == "leaves"]) == before - selected


def test_r12_demo_evaluation_is_complete(demo_path):
    """(Its time is measured in bench/bench_budgets.py.)"""
    con = bootstrap.connect(demo_path)
    result = evaluate(con, 2025)  # the method's 1,000 robustness draws
    con.close()
    institutions = result.institutions
    assert len(result.districts) == 41 and result.districts["score"].notna().all()
    assert institutions["peer_group"].isin(["bank", "leasing"]).all()
    for group, rows in institutions.groupby("peer_group"):
        ranked = rows["rank"].dropna()
        assert sorted(ranked) == list(range(1, len(ranked) + 1))
        assert 0 < rows["selected"].sum() <= 5
    assert institutions["bonus"].between(0, 4).all()


def test_r12_a_cut_off_on_31_december_is_the_whole_year(con, result):
    whole = evaluate(con, Period.of(fx.YEAR, date(2025, 12, 31)), fx.RELATIVE, draws=200)
    assert (whole.until, whole.as_of) == (date(2025, 12, 31), result.as_of)
    pd.testing.assert_frame_equal(whole.institutions, result.institutions)
    pd.testing.assert_frame_equal(whole.districts, result.districts)
    pd.testing.assert_frame_equal(whole.drop_one, result.drop_one)


def test_r12_mid_year_cut_off_scores_the_year_to_date(con):
    """On 30 June only B2 among the banks has five loans paid out (B1 has four): it alone is ranked.
    The three leasing companies lent everything by 11 June, so their indicators are those of the
    whole year except T1, whose targets are pro rata to 1 January – 30 June = 181 of 365 days."""
    ev = evaluate(con, Period.of(fx.YEAR, date(2025, 6, 30)), fx.RELATIVE, draws=0)
    table = ev.institutions.set_index("inst_id")
    assert (ev.until, ev.as_of) == (date(2025, 6, 30), date(2025, 6, 30))  # stages judged on the cut-off
    assert table.loc["B1", "status"] == "insufficient_data" and pd.isna(table.loc["B1", "rank"])
    assert table.loc["B2", "rank"] == 1 and table.loc[["B3", "B4", "B6"], "rank"].isna().all()
    # L1 at the year's end: composite 47.71 with T1 = 0.0175 worth 100 × 0.0175 × 0.12 = 0.21 points.
    # On 30 June T1 = 0.0175 × 365/181, worth 0.21 × 365/181 = 0.423481 points:
    # composite 47.71 − 0.21 + 0.423481 = 47.923481, less the 1-point deduction → 46.92
    assert table.loc["L1", "T1_contrib"] == pytest.approx(0.21 * 365 / 181)
    assert table.loc["L1", "composite"] == pytest.approx(47.5 + 0.21 * 365 / 181)
    assert table.loc["L1", "score"] == 46.92


def test_r12_no_robustness_draws_leaves_the_robust_columns_empty(con, table):
    quick = evaluate(con, fx.YEAR, fx.RELATIVE, draws=0).institutions.set_index("inst_id")
    assert quick[ROBUST].isna().all().all()
    pd.testing.assert_series_equal(quick["score"], table["score"])  # the scores do not depend on the draws
    pd.testing.assert_series_equal(quick["rank"], table["rank"])
