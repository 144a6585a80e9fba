"""Year-end projection (scoring/forecast.py, issue 11 §1): the pace by hand (flat and seasonal),
growth and the projected inputs by hand, the 31 December identity with the evaluation, the
interval, the "what it takes" sentences and the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest

from scoring import districts, forecast
from scoring.evaluation import Inputs, evaluate
from scoring.method import load_method

ROOT = Path(__file__).resolve().parent.parent


def months(rows):
    return pd.DataFrame(rows, columns=["subject", "subject_id", "year", "month", "amount"])


def test_flat_pace_without_a_complete_earlier_year():
    """Data from June 2024 only: 2025-06-30 is 181 of 365 days (0.4959…)."""
    monthly = months([("institution", "B1", 2024, m, 100.0) for m in range(6, 13)]
                     + [("institution", "B1", 2025, m, 100.0) for m in range(1, 7)])
    pace = forecast.pace_of(monthly, 2025, date(2025, 6, 30))
    assert pace.basis == "flat" and pace.share == pytest.approx(181 / 365)
    assert "平均进度" in pace.text


def test_seasonal_pace_from_a_complete_earlier_year():
    """2024 lent 1 in each of Jan–Nov and 9 in December (20 in all): by 2025-03-15 the year is usually
    1/20 + 1/20 + 15/31 × 1/20 = 0.1242 done."""
    amounts = [1.0] * 11 + [9.0]
    monthly = months([("institution", "B1", 2024, m, a) for m, a in zip(range(1, 13), amounts, strict=True)]
                     + [("district", "500191", 2024, 1, 999.0)])  # districts do not count twice
    pace = forecast.pace_of(monthly, 2025, date(2025, 3, 15))
    assert pace.basis == "seasonality" and pace.years == (2024,)
    assert pace.share == pytest.approx(2 / 20 + 15 / 31 / 20)
    assert forecast.pace_of(monthly, 2025, date(2025, 12, 31)).basis == "complete"


def test_growth_like_the_evaluation():
    now, before = pd.Series([150.0, 0.0, 5.0, 0.0]), pd.Series([100.0, 0.0, 0.0, 10.0])
    assert forecast.growth(now, before, 3.0).tolist() == [0.5, 0.0, 3.0, -1.0]


def test_projected_inputs_by_hand():
    """Half the year done (k = 2): V1 100 → 200, V3 parts doubled and whole, growth against the whole of
    last year (160 → +25 %), T1 at 0.4 of its pro-rata target → 0.4 × 0.5 × 2 = 0.4 of the year's; rates stay."""
    raw = pd.DataFrame({"inst_id": ["B1"], "V1": [100.0], "V1_before": [40.0], "V2": [1.5], "V3": [7.0],
                        "V3_enterprises": [3], "T1": [0.4], "S1": [0.9], "peer_group": ["bank"]})
    districts = pd.DataFrame({"district_code": ["500191"], "D1": [100.0], "D1_before": [0.0], "D2": [3.0],
                              "D3": [3], "D4": [0.5]})
    inputs = Inputs(raw, districts, pd.Series(dtype=float), frozenset())
    last = Inputs(pd.DataFrame({"inst_id": ["B1"], "V1": [160.0]}),
                  pd.DataFrame({"district_code": ["500191"], "D1": [400.0]}), pd.Series(dtype=float), frozenset())
    method = load_method()
    pace = forecast.Pace(0.5, "flat", (), tuple(np.full(12, 1 / 12)))
    factors = forecast.Factors(pd.Series(2.0, index=["B1"]), pd.Series(2.0, index=["500191"]))
    out = forecast.project(inputs, factors, last, method, pace, 0.5)
    row = out.raw.iloc[0]
    assert (row["V1"], row["V1_before"], row["V2"], row["V3"], row["V3_enterprises"]) == (200.0, 160.0, 0.25, 14.0, 6.0)
    assert row["T1"] == pytest.approx(0.4) and row["S1"] == 0.9
    district = out.district_raw.iloc[0]
    # 200 against last year's 400 is −50 %, but 400 is below the 50 M small base: the city's growth (same here)
    assert (district["D1"], district["D3"], district["D2"], district["D4"]) == (200.0, 6.0, -0.5, 0.5)
    assert forecast.project(inputs, factors, None, method, pace, 1.0) is inputs  # the year is over


def test_district_tiers():
    assert [forecast.tier_of(r) for r in (1, 14, 15, 28, 29, 41)] == ["第一梯队", "第一梯队", "第二梯队", "第二梯队",
                                                                      "第三梯队", "第三梯队"]


# --- on the demo database ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_copy):
    return demo_copy


@pytest.mark.slow
def test_the_31st_of_december_is_the_evaluation(demo):
    _, con = demo
    projection = forecast.forecast(con, 2025, date(2025, 12, 31), draws=10)
    actual = evaluate(con, 2025, draws=0)
    pd.testing.assert_frame_equal(projection.projected.institutions, actual.institutions)
    pd.testing.assert_frame_equal(projection.projected.districts, actual.districts)
    table = projection.institutions.set_index("inst_id")
    expected = actual.institutions.set_index("inst_id")
    assert table["projected_score"].equals(expected["score"].reindex(table.index))
    assert (table["projected_score_low"].dropna() == table["projected_score_high"].dropna()).all()
    assert projection.pace.basis == "complete"


@pytest.mark.slow
def test_mid_year_projection_has_intervals_and_reasons(demo):
    _, con = demo
    projection = forecast.forecast(con, 2025, date(2025, 9, 30), draws=40)
    table = projection.institutions[projection.institutions["status"] == "scored"]
    assert (table["projected_score_low"] <= table["projected_score_high"]).all()
    assert (table["projected_score_high"] > table["projected_score_low"]).any()  # draws differ
    assert table["selection_chance"].between(0, 1).all()
    assert (table["projected_V1"] >= table["V1_to_date"]).all()
    behind = table[~table["projected_selected"].astype(bool)]
    assert behind["what_it_takes"].str.contains("入选线").any()
    assert table["what_it_takes"].str.contains("还需发放约").any()
    assert table["decisive"].str.contains("入选机构平均").all()
    again = forecast.forecast(con, 2025, date(2025, 9, 30), draws=40)
    pd.testing.assert_frame_equal(again.institutions, projection.institutions)  # seeded: reproducible
    assert len(projection.districts) == 41 and projection.districts["projected_grade"].str.endswith("梯队").all()


@pytest.mark.slow
@pytest.mark.parametrize(("year", "as_of", "draws"), [(2025, date(2025, 9, 30), 0), (2025, date(2025, 9, 30), 12),
                                                       (2026, date(2026, 3, 16), 5), (2025, date(2025, 12, 31), 0)])
def test_the_districts_projected_alone_are_the_whole_projection_s(demo, year, as_of, draws):
    """A district's 今日提醒 projects the districts from their own inputs (`districts_forecast`): the
    same table as the whole projection's, the interval's draws included, mid-year and at the year's end."""
    _, con = demo
    method, whole = load_method(), forecast.forecast(con, year, as_of, draws=draws)
    alone = forecast.districts_forecast(con, year, as_of, method, whole.current.policy, draws=draws)
    pd.testing.assert_frame_equal(alone, whole.districts)
    assert len(alone) == 41 and (draws == 0 or (alone["projected_rank_best"] < alone["projected_rank_worst"]).any())


@pytest.mark.slow
@pytest.mark.parametrize(("year", "as_of", "draws"), [(2025, date(2025, 9, 30), 0), (2025, date(2025, 9, 30), 12),
                                                       (2026, date(2026, 3, 16), 5), (2025, date(2025, 12, 31), 0)])
def test_the_institutions_projected_alone_are_the_whole_projection_s(demo, year, as_of, draws):
    """A bank's 今日提醒 projects the institutions from their own inputs (`institutions_forecast`, no district read
    or scored): the same table as the whole projection's, the interval's draws included, mid-year and at the
    year's end."""
    _, con = demo
    method, whole = load_method(), forecast.forecast(con, year, as_of, draws=draws)
    with patch.object(districts, "district_indicators_at", side_effect=AssertionError("a district read")):
        alone = forecast.institutions_forecast(con, year, as_of, method, whole.current.policy, draws=draws)
    pd.testing.assert_frame_equal(alone, whole.institutions)
    assert len(alone) > 30 and (draws == 0 or (alone["projected_rank_best"] < alone["projected_rank_worst"]).any())


@pytest.mark.slow
def test_cli_writes_both_files(demo, tmp_path):
    path, _ = demo
    copy = tmp_path / "demo.duckdb"
    shutil.copy(path, copy)
    result = subprocess.run([sys.executable, "-m", "scoring", "forecast", "--db", str(copy), "--year", "2025",
                             "--as-of", "2025-06-30", "--draws", "20", "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    institutions = pd.read_csv(tmp_path / "out" / "institutions.csv", encoding="utf-8-sig")
    districts = pd.read_csv(tmp_path / "out" / "districts.csv", encoding="utf-8-sig")
    for column in ("inst_id", "projected_score", "projected_score_low", "projected_score_high", "projected_rank",
                   "projected_grade", "projected_selected", "score_to_date", "V1_to_date"):
        assert column in institutions.columns
    for column in ("district_code", "projected_score", "projected_score_low", "projected_score_high",
                   "projected_rank", "projected_grade", "D1_to_date"):
        assert column in districts.columns


@pytest.mark.slow
def test_view_gives_each_scope_only_its_own_projection(demo):
    """The pages' data layer (`forecast.view`): a bank gets its own row (ranked among all) and no
    district; a district the public race and no institution; the regulator everything."""
    from scoring.access import REGULATOR, Scope
    from scoring.policy import load_policy

    _, con = demo
    rules = {"method": load_method(), "policy": load_policy(), "draws": 0}
    full = forecast.forecast(con, 2025, date(2025, 9, 30), method=rules["method"], policy=rules["policy"], draws=0)
    bank = forecast.view(con, 2025, date(2025, 9, 30), scope=Scope("institution", inst_id="B01"), **rules)
    assert bank.institutions["inst_id"].tolist() == ["B01"] and bank.districts.empty
    pd.testing.assert_frame_equal(bank.institutions, full.institutions[full.institutions["inst_id"] == "B01"]
                                  .reset_index(drop=True))  # its rank is among all, not among itself
    district = forecast.view(con, 2025, date(2025, 9, 30), scope=Scope("district", district_code="500191"), **rules)
    assert district.institutions.empty and len(district.districts) == 41
    regulator = forecast.view(con, 2025, date(2025, 9, 30), scope=REGULATOR, **rules)
    pd.testing.assert_frame_equal(regulator.institutions, full.institutions)
    assert regulator.interval_text == "" and regulator.pace_text == full.pace.text  # no draws, no interval


@pytest.mark.slow
@pytest.mark.parametrize("as_of", [date(2025, 6, 30), date(2025, 11, 27), date(2025, 12, 31)])
def test_race_to_date_is_the_projection_s_rank_to_date(demo, as_of):
    """The digest's place at the last digest (`race_to_date`, districts' inputs alone) is the
    `rank_to_date` the whole projection gives for that day."""
    _, con = demo
    whole = forecast.forecast(con, 2025, as_of, draws=0).districts[["district_code", "rank_to_date"]]
    alone = forecast.race_to_date(con, 2025, as_of)
    assert len(alone) == 41
    pd.testing.assert_frame_equal(alone.sort_values("district_code").reset_index(drop=True),
                                  whole.sort_values("district_code").reset_index(drop=True), check_dtype=False)


@pytest.mark.slow  # two projections of the demo
def test_without_draws_a_running_year_states_no_selection_chance(demo):
    """The 今日提醒 panel projects without draws: a point estimate, not a probability of 0 % or 100 %."""
    _, con = demo
    running = forecast.forecast(con, 2025, date(2025, 9, 30), draws=0).institutions
    assert running["selection_chance"].isna().all() and running["projected_selected"].notna().all()
    over = forecast.forecast(con, 2025, date(2025, 12, 31), draws=0).institutions  # the year is over: certain
    assert set(over["selection_chance"]) <= {0.0, 1.0}
    assert (over["selection_chance"] == over["projected_selected"].astype(float)).all()
