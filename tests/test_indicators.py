"""R8, R10–R12, R17 — raw indicators of the comprehensive evaluation, worked by hand.

The fixture (tests/evaluation_fixture.py) is small enough to add up on paper; every
expected value below is that arithmetic, written out. Year 2025, M = 1,000,000 yuan.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evaluation_fixture as fx
from scoring import districts, indicators
from scoring.method import load_method
from scoring.period import Period
from scoring.policy import load_policy

POLICY = load_policy()  # the built-in policy file

METHOD = load_method()
AS_OF = date(2025, 12, 31)
M = 1_000_000


@pytest.fixture(scope="module")
def raw():
    con = fx.build()
    period = Period.of(fx.YEAR, as_of=AS_OF)
    frame = indicators.raw_indicators(con, period, METHOD, POLICY).set_index("inst_id")
    con.close()
    return frame


def test_r12_every_bank_and_leasing_company_has_a_row_and_no_one_else(raw):
    assert sorted(raw.index) == ["B1", "B2", "B3", "B4", "B5", "B6", "L1", "L2", "L3"]  # not the guarantor G1
    assert raw.loc["B1", "peer_group"] == "bank" and raw.loc["L1", "peer_group"] == "leasing"


def test_one_raw_indicator_alone_is_raw_indicators_column(raw):
    """The projection reads last year's V1 alone (`raw_indicator`): the same values over the same
    institutions as the whole `raw_indicators` (NaN or 0 where they have none), and no answer for an
    indicator the SLA engine computes."""
    con = fx.build()
    period = Period.of(fx.YEAR, as_of=AS_OF)
    for indicator in ("V1", "P1"):
        alone = indicators.raw_indicator(con, period, METHOD, POLICY, indicator)
        pd.testing.assert_series_equal(alone, raw[indicator], check_names=False)
    assert alone.index.tolist() == raw.index.tolist() and raw["V1"].gt(0).any()
    with pytest.raises(ValueError):
        indicators.raw_indicator(con, period, METHOD, POLICY, "S2")
    con.close()


def test_r12_institution_without_loans_gets_zeros_and_a_reason(raw):
    b4 = raw.loc["B4"]
    assert b4["status"] == "insufficient_data"
    assert b4["reason"] == "本年度无技改专项贷发放，列示但不评分"
    for column in ("V1", "V2", "V3", "T1", "M1", "P1", "P2", "I1", "loans_in_year"):
        assert b4[column] == 0, column


def test_r12_minimum_data_lists_but_does_not_score(raw):
    # B6 lent twice in 2025: 2 < min_loans 5
    assert raw.loc["B6", "loans_in_year"] == 2
    assert raw.loc["B6", "status"] == "insufficient_data"
    assert raw.loc["B6", "reason"] == "本年度技改专项贷仅2笔，少于最低5笔，列示但不评分"
    assert raw.loc["B6", "V1"] == 2 * M  # still listed with its figures


def test_r12_veto_for_a_violation_of_the_year_only(raw):
    assert raw.loc["B5", "status"] == "vetoed"
    assert raw.loc["B5", "reason"] == "一票否决：重大违规（违规收取融资顾问费），本年度不参与排名、不得入选"
    # B2's risk event is of 2024; L1's data-quality flag deducts but does not veto
    assert raw.loc["B2", "status"] == "scored" and raw.loc["L1", "status"] == "scored"


def test_r13_leasing_eligibility_by_paid_in_capital_and_place_of_registration(raw):
    # L1 Chongqing 500 M ≥ 200 M; L2 Chongqing 150 M < 200 M; L3 outside 3 bn ≥ 2 bn; banks always
    assert raw.loc["L1", "eligible"] and raw.loc["L3", "eligible"] and raw.loc["B6", "eligible"]
    assert not raw.loc["L2", "eligible"]
    assert raw.loc["L2", "eligibility_reason"] == "注册地在重庆的融资租赁公司实缴资本须不低于2亿元（现为1.5亿元），不符合遴选资格"
    assert raw.loc["L1", "eligibility_reason"] == ""


def test_r12_v1_counts_filed_projects_of_manufacturers_only(raw):
    # B1 2025: 10 + 30 + 20 + 20 + 20 = 100 M; B1-6 (trading firm) and B1-7 (unfiled project) left out
    assert raw.loc["B1", "V1"] == 100 * M
    assert raw.loc["B1", "loans_in_year"] == 5
    assert raw.loc["B1", "V1_before"] == 50 * M


def test_r12_v2_growth_and_growth_from_zero(raw):
    assert raw.loc["B1", "V2"] == pytest.approx(1.0)  # (100 − 50) / 50
    assert raw.loc["B3", "V2"] == pytest.approx(-0.2)  # (24 − 30) / 30
    assert raw.loc["B2", "V2"] == METHOD.construction.growth_cap  # 40 M from nothing: the cap (3.0 = +300 %)


def test_r12_v3_counts_inclusive_enterprises_twice(raw):
    # B1 financed E1 (small private), E2 (large state), E3 (medium private), E4 (micro): 4 + 3 inclusive
    assert (raw.loc["B1", "V3_enterprises"], raw.loc["B1", "V3_inclusive"], raw.loc["B1", "V3"]) == (4, 3, 7)
    # L3 financed only E6 (medium, foreign): 1 + 0
    assert raw.loc["L3", "V3"] == 1


def test_r12_t1_projects_added_and_amount_against_the_targets(raw):
    # B1: P1 was first signed in 2024, so 2025 adds P2, P3, P4 = 3 projects; 100 M signed
    # T1 = (min(1, 3/100) + min(1, 100 M / 5 bn)) / 2 = (0.03 + 0.02) / 2 = 0.025
    assert (raw.loc["B1", "T1_projects"], raw.loc["B1", "T1_amount"]) == (3, 100 * M)
    assert raw.loc["B1", "T1"] == pytest.approx(0.025)
    # L3 (leasing target 200 projects / 1 bn): (1/200 + 50 M / 1 bn) / 2 = (0.005 + 0.05) / 2 = 0.0275
    assert raw.loc["L3", "T1"] == pytest.approx(0.0275)


def test_r8_m1_counts_valid_relending_only(raw):
    # B1: 10 M tech re-lending of 100 M = 0.1
    assert raw.loc["B1", "M1"] == pytest.approx(0.1)
    # B3 (local legal person): five 4 M agri-small loans to a micro agricultural firm count; the
    # 4 M agri-small loan to a large state firm with a 100 M credit line breaks R8 → 20 / 24
    assert raw.loc["B3", "M1"] == pytest.approx(20 / 24)


def test_r12_p1_amount_weighted_discount_in_basis_points(raw):
    # B1: (10×20 + 30×10 + 20×30 + 20×0 + 20×15) / 100 = 1400 / 100 = 14 bp
    assert raw.loc["B1", "P1"] == pytest.approx(14.0)
    # L1 leases at 5 % against an LPR of 3 %: −200 bp
    assert raw.loc["L1", "P1"] == pytest.approx(-200.0)


def test_r12_p2_key_firms_minus_the_others(raw):
    # B1 key borrowers E1 (specialized) and E3 (gazelle): (10×20 + 20×30) / 30 = 80/3 bp;
    # others: (30×10 + 20×0 + 20×15) / 70 = 60/7 bp; P2 = 80/3 − 60/7 = 380/21 bp
    assert raw.loc["B1", "P2_key"] == pytest.approx(80 / 3)
    assert raw.loc["B1", "P2"] == pytest.approx(380 / 21)
    # B2 lent to no key firm: no differential either way
    assert raw.loc["B2", "P2"] == 0


def test_r10_s1_compliance_over_stages_due_in_the_year(raw):
    # B1: A1 met ×3; A2 connect breached (03-26 > 03-25), approve and disburse met → 5 / 6
    assert (raw.loc["B1", "S1_met"], raw.loc["B1", "S1_breached"]) == (5, 1)
    assert raw.loc["B1", "S1"] == pytest.approx(5 / 6)
    # B2: A3 decided 06-20 after its deadline 06-17 → 2 / 3; B3 all met
    assert raw.loc["B2", "S1"] == pytest.approx(2 / 3)
    assert raw.loc["B3", "S1"] == 1.0


def test_r10_s1_is_empty_without_stages_due(raw):
    assert raw[["S1"]].loc[["L1", "L2", "L3", "B4"]].isna().all().all()
    assert raw.loc["L1", "S1_met"] == 0


def test_r9_s2_median_working_days_registration_to_disbursement(raw):
    # B1: A1 03-03 → 03-12 = 7 working days (04 05 06 07 10 11 12); A2 03-24 → 04-03 = 8 → median 7.5
    assert raw.loc["B1", "S2"] == 7.5
    # B2: A3 06-09 → 06-23 = 10 working days; B3: A4 08-04 → 08-11 = 5
    assert (raw.loc["B2", "S2"], raw.loc["B3", "S2"]) == (10, 5)
    assert raw.loc["B1", "S2_disbursements"] == 2


def test_r11_e1_simplified_review_share_of_eligible_approvals(raw):
    # B1: A2 (green project P2) simplified, A1 not eligible → 1/1; B2: A3 eligible, not simplified → 0/1
    assert (raw.loc["B1", "E1"], raw.loc["B1", "E1_eligible"]) == (1.0, 1)
    assert raw.loc["B2", "E1"] == 0.0
    assert raw[["E1"]].loc[["B3"]].isna().all().all()  # nothing eligible: empty, not zero


def test_r17_i1_products_share_and_cases(raw):
    # B1: 1 innovative product (PR1) of 3 for full marks, 10 M of 100 M through it, 1 case of 2:
    # 100 × (1/3 + 0.1 + 1/2) / 3 = 31.11…
    assert raw.loc["B1", "I1"] == pytest.approx(100 * (1 / 3 + 0.1 + 0.5) / 3)
    # L1: PR3 counts, PR4 launched in 2026 does not; 3 cases capped at 2 → 100 × (1/3 + 0 + 1) / 3
    assert raw.loc["L1", "I1_products"] == 1
    assert raw.loc["L1", "I1"] == pytest.approx(100 * (1 / 3 + 1) / 3)


def test_r12_flags_counted_for_deductions():
    con = fx.build()
    counts = indicators.flag_counts(con, fx.YEAR)
    assert counts.loc["L1", "data_quality"] == 1 and counts.loc["B5", "violation"] == 1
    assert "B2" not in counts.index  # its risk event is of 2024


# -- properties: the indicator SQL against a plain-Python reference -----------------------------

LENDERS = ["B1", "B2", "B3", "L1", "L3"]
FILED_PROJECTS = {"P1": fx.E1, "P2": fx.E2, "P3": fx.E3, "P4": fx.E4, "P7": fx.E6}
ALL_PROJECTS = {**FILED_PROJECTS, "P5": fx.E5, "P6": fx.E6}  # P5 trading firm, P6 unfiled
DISTRICT_OF = {row[0]: row[2] for row in fx.ENTERPRISES}

loan = st.tuples(
    st.sampled_from(LENDERS),
    st.sampled_from(sorted(ALL_PROJECTS)),
    st.integers(1, 5_000_000_000),  # fen
    st.integers(200, 900),  # rate in basis points
    st.dates(date(2024, 1, 1), date(2025, 12, 31)),
    st.sampled_from(["none", "tech"]),
)


def _exact_total(amounts) -> Fraction:
    """Yuan amounts (read from DECIMAL as floats) added without binary rounding."""
    return sum((Fraction(str(a)) for a in amounts), Fraction(0))


@pytest.fixture(scope="module")
def base_con():
    con = fx.build()
    yield con
    con.close()


@pytest.mark.slow  # hypothesis examples that each fill a database
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(loans=st.lists(loan, min_size=1, max_size=30))
def test_r12_v1_m1_p1_agree_with_a_plain_reference(base_con, loans):
    con = base_con.cursor()
    con.execute("delete from loans")
    con.executemany(
        "insert into loans (loan_id, inst_id, ent_id, project_id, kind, amount, rate, lpr, signed_on, disbursed_on, "
        "relending) values (?, ?, ?, ?, 'loan', ?, ?, 0.03, ?, ?, ?)",
        [(f"X{i}", inst, ALL_PROJECTS[p], p, f"{fen // 100}.{fen % 100:02d}", f"{bp / 10000:.4f}", day, day, relending)
         for i, (inst, p, fen, bp, day, relending) in enumerate(loans)])
    period = Period.of(2025, as_of=AS_OF)
    raw = indicators.raw_indicators(con, period, METHOD, POLICY).set_index("inst_id")
    counted = [(inst, p, Fraction(fen, 100), bp, rel) for inst, p, fen, bp, day, rel in loans
               if day.year == 2025 and p in FILED_PROJECTS]
    for inst in LENDERS:
        mine = [c for c in counted if c[0] == inst]
        volume = sum((c[2] for c in mine), Fraction(0))
        assert Fraction(str(raw.loc[inst, "V1"])) == volume
        assert raw.loc[inst, "loans_in_year"] == len(mine)
        if volume:
            relent = sum((c[2] for c in mine if c[4] == "tech"), Fraction(0))
            assert raw.loc[inst, "M1"] == pytest.approx(float(relent / volume), abs=1e-12)
            discount = sum((c[2] * (300 - c[3]) for c in mine), Fraction(0)) / volume  # bp
            assert raw.loc[inst, "P1"] == pytest.approx(float(discount), abs=1e-9)
    assert ((raw["M1"] >= 0) & (raw["M1"] <= 1)).all()
    assert ((raw["T1"] >= 0) & (raw["T1"] <= 1)).all()
    assert (raw["V2"] <= METHOD.construction.growth_cap).all()
    # every loan counted once: the district race (by the borrower's district) adds up to the same total
    race = districts.district_indicators(con, period, METHOD, POLICY)
    assert _exact_total(race["D1"]) == _exact_total(raw["V1"])
    by_district = {}
    for inst, p, amount, _, _ in counted:
        by_district[DISTRICT_OF[ALL_PROJECTS[p]]] = by_district.get(DISTRICT_OF[ALL_PROJECTS[p]], 0) + amount
    for code, amount in by_district.items():
        assert Fraction(str(race.set_index("district_code").loc[code, "D1"])) == amount


# -- the year-to-date cut-off (`until`): what had happened by then, and nothing after --------------

CUT_OFF = date(2025, 6, 26)  # a Thursday: B2's disbursement stage (deadline Fri 06-27) is not yet due


@pytest.fixture(scope="module")
def cut_off_con():
    """The fixture plus facts on both sides of the cut-off: B2 lent in 2024 before and after
    26 June, L3 signed a lease before the cut-off and paid it out after it, and L3's
    innovative product was launched after it."""
    con = fx.build()
    con.executemany(
        "insert into loans (loan_id, inst_id, ent_id, project_id, kind, amount, rate, lpr, signed_on, disbursed_on) "
        "values (?, ?, ?, 'P1', 'loan', ?, '0.030', '0.031', ?, ?)",
        [("B2-A", "B2", fx.E1, 16 * M, "2024-04-01", "2024-04-03"),
         ("B2-B", "B2", fx.E1, 12 * M, "2024-08-01", "2024-08-05")])
    con.execute("insert into loans (loan_id, inst_id, ent_id, project_id, kind, amount, rate, lpr, signed_on, "
                "disbursed_on) values ('L3-6', 'L3', ?, 'P7', 'lease_direct', ?, '0.055', '0.030', '2025-06-20', "
                "'2025-07-02')", [fx.E6, 10 * M])
    con.execute("insert into products values ('PR5', 'L3', '智造租', 'other', '2025-09-01', true)")
    yield con
    con.close()


def _raw_until(con, until):
    """Raw indicators to `until` (None: the whole year), stages judged on the cut-off day."""
    period = Period.of(fx.YEAR, until, as_of=until or AS_OF)
    return indicators.raw_indicators(con, period, METHOD, POLICY).set_index("inst_id")


@pytest.fixture(scope="module")
def mid_year(cut_off_con):
    return _raw_until(cut_off_con, CUT_OFF)


@pytest.fixture(scope="module")
def year_end(cut_off_con):
    return _raw_until(cut_off_con, None)


def test_r12_cut_off_counts_loans_signed_and_disbursed_by_then(mid_year, year_end):
    # B1 by 26 June: B1-1 10 M, B1-2 30 M, B1-3 20 M, B1-4 20 M (B1-5 is signed 1 July) = 80 M in 4 loans,
    # under the minimum of 5 so far: listed, not scored
    b1 = mid_year.loc["B1"]
    assert (b1["V1"], b1["loans_in_year"], b1["status"]) == (80 * M, 4, "insufficient_data")
    assert b1["reason"] == "本年度技改专项贷仅4笔，少于最低5笔，列示但不评分"
    assert mid_year.loc["B3", "V1"] == 0  # its 2025 loans are signed in August
    # L3's sixth lease is signed on 20 June but paid out on 2 July: 揭榜 signed amount yes, volume not yet
    assert (mid_year.loc["L3", "V1"], mid_year.loc["L3", "T1_amount"]) == (50 * M, 60 * M)
    assert (year_end.loc["L3", "V1"], year_end.loc["L3", "T1_amount"]) == (60 * M, 60 * M)


def test_r12_v2_compares_year_to_date_with_the_same_period_of_last_year(mid_year, year_end):
    # B2 lent 16 M on 2024-04-03 and 12 M on 2024-08-05. By 26 June 2025 it lent 40 M; the same
    # period of 2024 (to 2024-06-26) holds 16 M: (40 − 16) / 16 = 1.5. At the year's end: (40 − 28) / 28 = 3/7
    assert (mid_year.loc["B2", "V1_before"], mid_year.loc["B2", "V2"]) == (16 * M, pytest.approx(1.5))
    assert (year_end.loc["B2", "V1_before"], year_end.loc["B2", "V2"]) == (28 * M, pytest.approx(3 / 7))
    # B1's 2024 loan was paid out on 2024-09-04, after the same period: growth from a zero base is the cap
    assert (mid_year.loc["B1", "V1_before"], mid_year.loc["B1", "V2"]) == (0, METHOD.construction.growth_cap)


def test_r8_r12_shares_and_reach_of_the_year_to_date(mid_year):
    b1 = mid_year.loc["B1"]
    assert b1["M1"] == pytest.approx(10 / 80)  # 10 M tech re-lending of 80 M
    # E1 small private, E2 large state, E3 medium private: 3 enterprises + 2 inclusive
    assert (b1["V3_enterprises"], b1["V3_inclusive"], b1["V3"]) == (3, 2, 5)
    # (10×20 + 30×10 + 20×30 + 20×0) / 80 = 13.75 bp; key firms E1, E3: (10×20 + 20×30) / 30 = 80/3,
    # others E2: (30×10 + 20×0) / 50 = 6 → P2 = 80/3 − 6 = 62/3
    assert b1["P1"] == pytest.approx(13.75)
    assert b1["P2"] == pytest.approx(62 / 3)


def test_r12_t1_targets_pro_rata_to_the_elapsed_year(mid_year):
    # 1 January – 26 June = 31 + 28 + 31 + 30 + 31 + 26 = 177 of 365 days (序时进度).
    # B1 added P2 and P3 (P1 was first signed in 2024) and signed 80 M:
    # T1 = (2 / (100 × 177/365) + 80 M / (5 bn × 177/365)) / 2 = (0.02 + 0.016) / 2 × 365/177
    assert (mid_year.loc["B1", "T1_projects"], mid_year.loc["B1", "T1_amount"]) == (2, 80 * M)
    assert mid_year.loc["B1", "T1"] == pytest.approx(0.018 * 365 / 177)
    # L3 (leasing 200 projects / 1 bn): (1/200 + 60 M / 1 bn) / 2 × 365/177
    assert mid_year.loc["L3", "T1"] == pytest.approx(0.0325 * 365 / 177)


def test_r10_s1_counts_stages_due_by_the_cut_off_judged_then(mid_year, year_end):
    # B2 A3: connect met (06-10), approval breached (due 06-17, decided 06-20); the disbursement stage,
    # done 06-23, is due Fri 06-27, after the cut-off, so it waits for July: 1 / 2 (at the year's end 2 / 3)
    assert (mid_year.loc["B2", "S1_met"], mid_year.loc["B2", "S1_breached"]) == (1, 1)
    assert (year_end.loc["B2", "S1_met"], year_end.loc["B2", "S1_breached"]) == (2, 1)
    assert mid_year.loc["B1", "S1"] == pytest.approx(5 / 6)  # all of B1's stages fall due by April
    assert pd.isna(mid_year.loc["B3", "S1"])  # A4 is registered in August: nothing to judge yet
    assert (mid_year.loc["B2", "S2"], mid_year.loc["B1", "E1"]) == (10, 1.0)  # A3 and A2 are before the cut-off


def test_r17_products_launched_by_the_cut_off(mid_year, year_end):
    # L3's PR5 is launched on 1 September: not in the library on 26 June
    assert (mid_year.loc["L3", "I1_products"], year_end.loc["L3", "I1_products"]) == (0, 1)
    # B1: PR1 of 3 for full marks, 10 M of 80 M through it, 1 case of 2 (cases carry a year only)
    assert mid_year.loc["B1", "I1"] == pytest.approx(100 * (1 / 3 + 10 / 80 + 1 / 2) / 3)


@pytest.mark.parametrize(("day", "same_period_end"), [
    (date(2025, 6, 26), date(2024, 6, 26)),
    (date(2025, 2, 28), date(2024, 2, 29)),  # a month's end meets the month's end: 1–2月 against 1–2月
    (date(2024, 2, 29), date(2023, 2, 28)),
    (date(2024, 2, 28), date(2023, 2, 28)),
    (date(2025, 12, 31), date(2024, 12, 31)),
])
def test_r12_same_period_of_last_year(day, same_period_end):
    assert Period.of(day.year, day).until_last_year == same_period_end


def test_r12_year_share_and_cut_off_day():
    assert Period.of(2025, date(2025, 12, 31)).year_share == 1.0
    assert Period.of(2025, date(2025, 1, 1)).year_share == 1 / 365
    assert Period.of(2024, date(2024, 6, 30)).year_share == 182 / 366  # leap year: 31+29+31+30+31+30
    assert Period.of(2025).until == date(2025, 12, 31)
    with pytest.raises(ValueError, match="不在评价年度 2025 年内"):
        Period.of(2025, date(2026, 1, 31))


@pytest.mark.slow  # hypothesis examples that each evaluate a database
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.dates(date(2025, 1, 1), date(2025, 12, 31)), min_size=2, max_size=2, unique=True))
def test_r12_year_to_date_totals_never_shrink_as_the_cut_off_moves_on(cut_off_con, days):
    cursor = cut_off_con.cursor()
    early, late = (_raw_until(cursor, day) for day in sorted(days))
    cursor.close()
    for column in ("V1", "loans_in_year", "T1_amount", "T1_projects", "V3_enterprises", "I1_products",
                   "S2_disbursements", "E1_eligible"):
        assert (early[column].astype(float) <= late[column].astype(float)).all(), column
    assert (early["V1_before"].astype(float) <= late["V1_before"].astype(float)).all()
