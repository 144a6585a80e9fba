"""R16 — the district horse race and the 融资对接台账, worked by hand on the fixture.

Units with activity in the fixture: 500112 渝北区 (E1, E6), 500191 两江新区 (E2, E3),
500107 九龙坡区 (E4, and the trading firm E5). M = 1,000,000 yuan.
"""

from __future__ import annotations

from datetime import date

import pytest

import evaluation_fixture as fx
from scoring import districts
from scoring.access import REGULATOR, Scope
from scoring.evaluation import evaluate
from scoring.method import load_method
from scoring.period import Period

METHOD = load_method(fx.OWN_RATIOS)  # each unit's own ratios: the figures below are worked by hand
M = 1_000_000


@pytest.fixture(scope="module")
def race(con):
    period = Period.of(fx.YEAR, as_of=date(2025, 12, 31))
    return districts.district_indicators(con, period, METHOD).set_index("district_code")


def test_r16_all_41_units_have_a_row(race):
    assert len(race) == 41
    assert race.loc["500229", "D1"] == 0 and race.loc["500229", "D3"] == 0  # 城口县: nothing, zeros


def test_r16_d1_d2_amount_to_the_units_firms_and_growth(race):
    # 500107: B1-5 20 M + B2-4/5 2×8 M + B3-1…5 5×4 M = 56 M (E5's 50 M: not manufacturing);
    # 2024: B3-0 30 M → D2 = (56 − 30) / 30 = 26/30
    assert race.loc["500107", "D1"] == 56 * M
    assert race.loc["500107", "D2"] == pytest.approx(26 / 30)
    # 500112: B1-1 10 M + L2 5×4 M + L3 5×10 M = 80 M (B1-7 finances an unfiled project); 2024 B1-0 50 M
    assert race.loc["500112", "D1"] == 80 * M
    assert race.loc["500112", "D2"] == pytest.approx(0.6)
    # 500191: nothing in 2024 → the growth cap
    assert race.loc["500191", "D2"] == METHOD.construction.growth_cap


def test_r16_d3_d4_reserve_pool_and_financing(race):
    # 500112 pool: P1 (2024), P7 and P8 (2025) → D3 = 2; financed P1 and P7 → D4 = 2/3
    assert race.loc["500112", "D3"] == 2
    assert (race.loc["500112", "D4_pooled"], race.loc["500112", "D4_financed"]) == (3, 2)
    assert race.loc["500112", "D4"] == pytest.approx(2 / 3)
    # 500191 pool: P2, P3 both financed; 500107's P4 never pooled → 0 of 0 counts 0
    assert race.loc["500191", "D4"] == 1.0
    assert race.loc["500107", "D4"] == 0


def test_r16_d5_compliance_of_the_units_firms(race):
    # 500191 (E2): A2 (2 met, 1 breached) + A3 (2 met, 1 breached) → 4 / 6
    assert (race.loc["500191", "D5_met"], race.loc["500191", "D5_breached"]) == (4, 2)
    assert race.loc["500191", "D5"] == pytest.approx(4 / 6)
    assert race.loc["500112", "D5"] == 1.0  # A1, all met


def test_r16_race_scores_with_the_method_weights(con):
    table = evaluate(con, fx.YEAR, METHOD, draws=20).districts.set_index("district_code")
    # 500191: D1 140 M is the best → 100 × 25 %; D2 3.0 is the max → 100 × 15 %; D3 2 of max 2 → 100 × 20 %;
    # D4 1.0 of max 1 → 100 × 25 %; D5 goalposts (2/3 − 0.6) / 0.4 = 1/6 → 16.67 × 15 % = 2.5
    # composite = 25 + 15 + 20 + 25 + 2.5 = 87.5
    assert table.loc["500191", "score"] == 87.5
    assert table.loc["500191", "rank"] == 1
    assert table.loc["500191", "D5_contrib"] == pytest.approx(2.5)
    assert sorted(table["rank"]) == list(range(1, 42))


def test_r16_ledger_lists_pooled_projects_and_who_financed_them(con):
    ledger = districts.reserve_ledger(con, REGULATOR, "500112", as_of=date(2025, 12, 31)).set_index("project_id")
    assert list(ledger.index) == ["P1", "P7", "P8"]  # pooling order; P6 was never pooled
    p1 = ledger.loc["P1"]
    # P1: B1-0 50 M (2024-09-02) + B1-1 10 M + L2 5×4 M = 80 M in 7 contracts
    assert (bool(p1["financed"]), p1["contracts"], p1["signed_amount"]) == (True, 7, 80 * M)
    assert p1["first_signed_on"] == date(2024, 9, 2)  # dates come back as datetime.date
    assert set(p1["financed_by"].split("、")) == {"甲银行重庆分行", "渝乙融资租赁"}
    assert not ledger.loc["P8", "financed"] and ledger.loc["P8", "contracts"] == 0


def test_r16_ledger_as_of_a_past_day(con):
    ledger = districts.reserve_ledger(con, REGULATOR, "500112", as_of=date(2025, 5, 31)).set_index("project_id")
    assert list(ledger.index) == ["P1", "P7"]  # P8 pooled in June
    assert not ledger.loc["P7", "financed"]  # L3 signed on 2025-06-09


def test_r16_ledger_is_scoped(con):
    own = districts.reserve_ledger(con, Scope("district", district_code="500191"), "500112", date(2025, 12, 31))
    assert own.empty  # a district official cannot read another unit's ledger
    mine = districts.reserve_ledger(con, Scope("district", district_code="500191"), None, date(2025, 12, 31))
    assert set(mine["district_code"]) == {"500191"}
    bank = districts.reserve_ledger(con, Scope("institution", inst_id="L3"), None, date(2025, 12, 31))
    assert list(bank["project_id"]) == ["P7"] and set(bank["financed_by"]) == {"外丙融资租赁"}
    # the project it lends to, as it stood on a past day: not financed yet (L3 signed on 2025-06-09)
    before = districts.reserve_ledger(con, Scope("institution", inst_id="L3"), None, date(2025, 5, 31))
    assert list(before["project_id"]) == ["P7"] and not before["financed"].any()


def test_r16_small_bases_take_the_city_wide_ratio(con):
    """The default method's small-base rule: growth over less than 50 M of last year's lending,
    a financing share over fewer than 5 pooled projects and compliance over fewer than 10
    judged stages say nothing about the unit, which takes the city-wide value instead."""
    default = load_method()
    period = Period.of(fx.YEAR, as_of=date(2025, 12, 31))
    race = districts.district_indicators(con, period, default).set_index("district_code")
    # City: 2025 56 M + 80 M + 140 M = 276 M; 2024 30 M (500107) + 50 M (500112) = 80 M.
    # 500107 (30 M < 50 M) and 500191 (0) take the city growth (276 − 80) / 80 = 2.45;
    # 500112 (50 M, not below the line) keeps its own (80 − 50) / 50 = 0.6.
    assert race.loc["500107", "D2"] == pytest.approx(196 / 80)
    assert race.loc["500191", "D2"] == pytest.approx(196 / 80)
    assert race.loc["500112", "D2"] == pytest.approx(0.6)
    # Every unit's pool is below 5 projects, so all take the city share:
    # 500112 (3 pooled, 2 financed) + 500191 (2 pooled, 2 financed) = 4 of 5.
    assert (race["D4_pooled"].sum(), race["D4_financed"].sum()) == (5, 4)
    assert list(race["D4"]) == pytest.approx([4 / 5] * 41)
    # 500191's 6 judged stages (4 met) are fewer than 10: the city rate, not its own 4/6.
    city_rate = race["D5_met"].sum() / (race["D5_met"].sum() + race["D5_breached"].sum())
    assert race.loc["500191", "D5"] == pytest.approx(city_rate)
    assert race.loc["500191", "D5"] != pytest.approx(4 / 6)
    # The volumes D1 and D3 are never replaced.
    assert race.loc["500191", "D1"] == 140 * M
