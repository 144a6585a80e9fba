"""The subsidy engine, rule by rule (POLICY.md R1–R8), on small hand-built databases.

Every expected number is worked out by hand from the policy in the comment beside it.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from scoring import bootstrap, engine
from scoring.access import REGULATOR, Scope
from scoring.db import QUERIES
from scoring.policy import load_policy
from scoring.subsidy import (
    KIND_LABELS,
    STATUS_LABELS,
    payment_detail,
    payment_queue,
    relending_check,
    subsidy_table,
    totals_by_institution,
)

POLICY = load_policy()  # the built-in policy file

ENT = "91500103MA5U000001"
OTHER_ENT = "91500103MA5U000002"
DISTRICT = "500103"  # 渝中区
OTHER_DISTRICT = "500191"  # 两江新区


class Ledger:
    """A tiny database filled by direct INSERTs, with defaults that make a loan eligible."""

    def __init__(self, con):
        self.con = con

    def institution(self, inst_id, kind="bank", local=False):
        self.con.execute("insert into institutions (inst_id, name, kind, local_legal_person, paid_in_capital) values (?, ?, ?, ?, null)", [inst_id, f"机构{inst_id}", kind, local])

    def enterprise(self, ent_id=ENT, manufacturing=True, size="medium", ownership="private",
                   agricultural=False, district=DISTRICT):
        self.con.execute("insert into enterprises values (?, ?, ?, ?, ?, ?, ?, null)",
                         [ent_id, f"企业{ent_id[-2:]}", district, size, ownership, manufacturing, agricultural])

    def project(self, project_id="P1", ent_id=ENT, filed_on=date(2024, 1, 10), pooled_on=date(2024, 3, 1),
                total_investment=D("5000000"), land_cost=D("0"), district=DISTRICT):
        self.con.execute(
            "insert into projects (project_id, ent_id, district_code, filed_on, pooled_on, total_investment, land_cost)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [project_id, ent_id, district, filed_on, pooled_on, total_investment, land_cost])

    def loan(self, loan_id, inst_id="B1", project_id="P1", ent_id=ENT, kind="loan", amount=D("10000000"),
             land_amount=D("0"), rate=D("0.03"), relending="none", credit_line=None):
        self.con.execute(
            "insert into loans (loan_id, inst_id, ent_id, project_id, kind, amount, land_amount, rate, lpr,"
            " signed_on, relending, credit_line) values (?, ?, ?, ?, ?, ?, ?, ?, 0.031, '2024-03-01', ?, ?)",
            [loan_id, inst_id, ent_id, project_id, kind, amount, land_amount, rate, relending, credit_line])

    def payment(self, payment_id, loan_id, paid_on, interest):
        self.con.execute("insert into interest_payments values (?, ?, ?, ?, ?, ?)",
                         [payment_id, loan_id, paid_on.replace(day=1), paid_on, paid_on, D(interest)])

    def guarantee(self, guarantee_id, loan_id, fee_paid, fee_rate=D("0.01"), paid_on=date(2025, 3, 1),
                  guarantor="G1"):
        self.con.execute("insert into guarantees values (?, ?, ?, 10000000, ?, ?, ?)",
                         [guarantee_id, loan_id, guarantor, D(fee_rate), D(fee_paid), paid_on])

    def policy(self, policy_id, kind, premium, insured=None, product="数控机床", project_id="P1", year=2025,
               ent_id=ENT):
        self.con.execute("insert into insurance_policies values (?, ?, ?, 'I1', ?, ?, ?, ?, ?)",
                         [policy_id, ent_id, project_id, kind, product,
                          None if insured is None else D(insured), D(premium), year])

    def cooperating(self, year, inst_id):
        self.con.execute("insert into cooperation values (?, ?, 'call')", [year, inst_id])


def bare_ledger(con) -> Ledger:
    """Banks B1, B2, leasing company F1, guarantee firm G1, insurer I1; one manufacturing
    enterprise with project P1 (filed 2024-01-10, pooled 2024-03-01, 5,000,000 yuan, no land)."""
    book = Ledger(con)
    for inst_id, kind in (("B1", "bank"), ("B2", "bank"), ("F1", "leasing"), ("G1", "guarantee"), ("I1", "insurer")):
        book.institution(inst_id, kind)
    book.enterprise()
    book.project()
    return book


@pytest.fixture()
def ledger(empty_con):
    """The bare ledger (`bare_ledger`) in a fresh database."""
    return bare_ledger(empty_con)


def by_payment(con, year=2025, **kwargs):
    """The regulator's payment detail under the built-in policy, unless `kwargs` say otherwise."""
    return payment_detail(con, year, **({"scope": REGULATOR, "policy": POLICY} | kwargs)).set_index("payment_id")


def one_payment(ledger, rate, interest, kind="loan", inst_id="B1", land=D("0")):
    """One payment on 2025-06-20 of a fresh loan; its detail row."""
    ledger.loan("L", inst_id=inst_id, kind=kind, rate=D(rate), land_amount=land)
    ledger.payment("p", "L", date(2025, 6, 20), interest)
    return by_payment(ledger.con).loc["p"]


# --- R1 eligibility -------------------------------------------------------------------


def test_r1_eligible_payment_has_no_reason(ledger):
    row = one_payment(ledger, "0.03", "300000")
    assert row.eligible and pd.isna(row.reason)


@pytest.mark.parametrize(("change", "reason"), [
    ("update projects set filed_on = null", "not_filed"),
    ("update projects set pooled_on = null", "not_pooled"),
    ("update projects set pooled_on = '2025-06-21'", "not_pooled"),  # pooled the day after paid_on
    ("update enterprises set manufacturing = false", "not_manufacturing"),
    ("update loans set land_amount = amount", "land_portion"),
    ("update loans set inst_id = 'F1'", "lender_not_bank"),  # kind loan from a leasing company
    ("update loans set kind = 'lease_direct'", "lender_not_leasing"),  # a lease from a bank
    ("update loans set project_id = 'NOPE'", "unknown_project"),
    ("update projects set ent_id = '91500103MA5U000009'", "project_of_other_enterprise"),
    ("update interest_payments set loan_id = 'NOPE'", "unknown_loan"),
    ("update interest_payments set paid_on = '2025-06-20'", None),  # control: unchanged day, eligible
])
def test_r1_every_refusal_carries_its_reason(ledger, change, reason):
    ledger.loan("L")
    ledger.payment("p", "L", date(2025, 6, 20), "300000")
    ledger.con.execute(change)
    row = by_payment(ledger.con).loc["p"]
    if reason is None:
        assert row.eligible and row.subsidy == D("150000.00")
    else:
        # the policy's sentence for that code, looked up in its lists (subsidy/payment_detail)
        assert not row.eligible and row.reason == reason and row.reason_text == POLICY.reason_labels()[reason]
        assert row.uncapped == D("0.00") and row.subsidy == D("0.00")


def test_r1_pooled_on_the_day_of_payment_counts(ledger):
    # pooled_on ≤ paid_on is enough: pooled 2025-06-20, paid 2025-06-20
    ledger.con.execute("update projects set pooled_on = '2025-06-20'")
    assert one_payment(ledger, "0.03", "300000").eligible


def test_r1_threshold_excludes_land_and_includes_one_million(ledger):
    # Q1: 1,500,000.00 − 500,000.01 = 999,999.99 < 1,000,000 → below_threshold
    # Q2: 1,500,000.00 − 500,000.00 = 1,000,000.00 → eligible (100万元（含）以上)
    ledger.project("Q1", total_investment=D("1500000.00"), land_cost=D("500000.01"))
    ledger.project("Q2", total_investment=D("1500000.00"), land_cost=D("500000.00"))
    ledger.loan("L1", project_id="Q1")
    ledger.loan("L2", project_id="Q2")
    ledger.payment("p1", "L1", date(2025, 6, 20), "1000")
    ledger.payment("p2", "L2", date(2025, 6, 20), "1000")
    rows = by_payment(ledger.con)
    assert rows.loc["p1", "reason"] == "below_threshold" and not rows.loc["p1", "eligible"]
    assert rows.loc["p2", "eligible"] and rows.loc["p2", "subsidy"] == D("500.00")  # 1,000 × ½


def test_r1_policy_in_force_thirty_days_after_2024_05_10(ledger):
    # 印发 2024-05-10, 施行 30 days later = 2024-06-09: paid 06-08 refused, 06-09 eligible
    ledger.loan("L")
    ledger.payment("early", "L", date(2024, 6, 8), "1000")
    ledger.payment("first", "L", date(2024, 6, 9), "1000")
    rows = by_payment(ledger.con, 2024)
    assert rows.loc["early", "reason"] == "outside_policy_period"
    assert rows.loc["first", "subsidy"] == D("500.00")


# --- R2 loans, R3 leases -------------------------------------------------------------


@pytest.mark.parametrize(("rate", "interest", "expected", "basis"), [
    ("0.03", "300000", "150000.00", "rate_share"),  # POLICY.md: 300,000 × ½ = 150,000
    ("0.05", "500000", "200000.00", "rate_points"),  # POLICY.md: 500,000 × 0.02/0.05 = 200,000
    ("0.035", "350000", "175000.00", "rate_share"),  # ½ < 0.02/0.035 = 0.571 → 350,000 × ½
    ("0.04", "400000", "200000.00", "rate_share"),  # ½ = 0.02/0.04: both give 200,000
    ("0.048", "480000", "200000.00", "rate_points"),  # 0.02/0.048 = 0.41667 < ½ → 480,000 × 0.41667 = 200,000
    ("0.045", "1000", "444.44", "rate_points"),  # 1,000 × 0.02/0.045 = 444.444… → 444.44
    ("0.03", "0.05", "0.03", "rate_share"),  # 0.05 × ½ = 0.025 → 0.03 half-up (banker's: 0.02)
    ("0.03", "100.01", "50.01", "rate_share"),  # 50.005 → 50.01
])
def test_r2_loan_subsidy_is_half_the_rate_at_most_two_points(ledger, rate, interest, expected, basis):
    row = one_payment(ledger, rate, interest)
    assert row.uncapped == D(expected) and row.subsidy == D(expected)
    assert row.basis == basis


def test_r2_land_portion_of_a_loan_is_not_subsidised(ledger):
    # amount 10,000,000, land 2,000,000: 300,000 × (1 − 0.2) × ½ = 120,000
    assert one_payment(ledger, "0.03", "300000", land=D("2000000")).subsidy == D("120000.00")


def test_r2_land_share_and_rate_are_rounded_once(ledger):
    # half the loan for land, rate 3 %: 0.05 × ½ × ½ = 0.0125 → 0.01. Rounding the land
    # step first would give 0.025 → 0.03, then × ½ = 0.015 → 0.02: the exact product counts.
    assert one_payment(ledger, "0.03", "0.05", land=D("5000000")).subsidy == D("0.01")


@pytest.mark.parametrize(("kind", "rate", "interest", "expected"), [
    ("lease_direct", "0.06", "600000", "200000.00"),  # POLICY.md: 600,000 × 0.02/0.06 = 200,000
    ("lease_direct_back", "0.05", "500000", "200000.00"),  # 直转回: 500,000 × 0.02/0.05
    ("lease_direct", "0.015", "150000", "150000.00"),  # min(1, 0.02/0.015) = 1: never above the interest
    ("lease_direct", "0.02", "200000", "200000.00"),  # exactly 2 %: the whole interest
])
def test_r3_lease_subsidy_is_two_points_never_above_the_interest(ledger, kind, rate, interest, expected):
    row = one_payment(ledger, rate, interest, kind=kind, inst_id="F1")
    assert row.kind == "lease" and row.subsidy == D(expected)


# --- R4 annual caps ----------------------------------------------------------------------


def test_r4_cap_shared_by_two_banks_in_proportion_with_the_fen_to_the_largest(ledger):
    # B1's loan: 14,000,000.00 × ½ = 7,000,000.00; B2's: 10,000,000.02 × ½ = 5,000,000.01.
    # Total 12,000,000.01 > 10,000,000 → shares of 1,000,000,000 fen:
    #   B1: 1e9 × 700,000,000 / 1,200,000,001 = 583,333,332.85 → floor 583,333,332
    #   B2: 1e9 × 500,000,001 / 1,200,000,001 = 416,666,667.15 → floor 416,666,667
    #   floors add to 999,999,999: the 1 fen left goes to the largest share (B1).
    ledger.loan("LA", inst_id="B1", amount=D("500000000"))
    ledger.loan("LB", inst_id="B2", amount=D("500000000"))
    ledger.payment("a", "LA", date(2025, 3, 20), "14000000.00")
    ledger.payment("b", "LB", date(2025, 6, 20), "10000000.02")
    table = subsidy_table(ledger.con, 2025, scope=REGULATOR, policy=POLICY).set_index("inst_id")
    assert table.loc["B1", "uncapped"] == D("7000000.00")
    assert table.loc["B2", "uncapped"] == D("5000000.01")
    assert table.loc["B1", "subsidy"] == D("5833333.33")
    assert table.loc["B2", "subsidy"] == D("4166666.67")
    assert table["subsidy"].sum() == D("10000000.00")
    assert table["capped"].all()
    # bank-level totals are the same shares
    totals = totals_by_institution(ledger.con, 2025, scope=REGULATOR, policy=POLICY).set_index("inst_id")
    assert totals.loc["B1", "subsidy"] == D("5833333.33")


def three_tied_loans(ledger) -> None:
    """Project P1 over its cap with three loans of 4,000,000.00 uncapped each (R4): 1e9 × 4e8 / 1.2e9 =
    333,333,333.33 fen → floor each, 1 fen left → the smallest loan_id (L1) → 3,333,333.34 / .33 / .33.
    L1 has two payments of 2,000,000.00 uncapped each: 333,333,334 / 2 = 166,666,667 fen each."""
    for loan_id in ("L3", "L2", "L1"):
        ledger.loan(loan_id, amount=D("500000000"))
    ledger.payment("l1a", "L1", date(2025, 3, 20), "4000000.00")
    ledger.payment("l1b", "L1", date(2025, 6, 20), "4000000.00")
    ledger.payment("l2", "L2", date(2025, 3, 20), "8000000.00")
    ledger.payment("l3", "L3", date(2025, 3, 20), "8000000.00")


def test_r4_ties_give_the_fen_to_the_smallest_loan_id_and_spread_over_payments(ledger):
    three_tied_loans(ledger)
    rows = by_payment(ledger.con)
    per_loan = rows.groupby("loan_id")["subsidy"].sum()
    assert per_loan.to_dict() == {"L1": D("3333333.34"), "L2": D("3333333.33"), "L3": D("3333333.33")}
    assert rows.loc["l1a", "subsidy"] == D("1666666.67") == rows.loc["l1b", "subsidy"]
    assert rows["capped"].all()


def test_r4_several_fen_left_go_one_each_to_the_largest_shares(ledger):
    # three leases at 6 %: 6,000,000.00 × 1/3 = 2,000,000.00 each, 6,000,000 > 5,000,000;
    # 500,000,000 fen / 3 = 166,666,666.67 → floors add to 499,999,998: 2 fen left, one
    # each to the two largest (all tie: smallest ids F_a, F_b) → 1,666,666.67 ×2 and .66.
    for loan_id in ("F_c", "F_b", "F_a"):
        ledger.loan(loan_id, inst_id="F1", kind="lease_direct", rate=D("0.06"), amount=D("900000000"))
        ledger.payment(f"p{loan_id}", loan_id, date(2025, 6, 20), "6000000.00")
    per_loan = by_payment(ledger.con).set_index("loan_id")["subsidy"].to_dict()
    assert per_loan == {"F_a": D("1666666.67"), "F_b": D("1666666.67"), "F_c": D("1666666.66")}


def test_r4_a_capped_loan_is_spread_over_its_payments_by_the_same_rule(ledger):
    # One loan, payments of 14,000,000.00 and 10,000,000.02 (uncapped 7,000,000.00 and
    # 5,000,000.01): the loan's 10,000,000.00 spreads as in the two-bank case above,
    # 583,333,332 + 1 fen left → 5,833,333.33 to the larger payment, 4,166,666.67 to the other.
    ledger.loan("L", amount=D("900000000"))
    ledger.payment("x1", "L", date(2025, 3, 20), "14000000.00")
    ledger.payment("x2", "L", date(2025, 6, 20), "10000000.02")
    rows = by_payment(ledger.con)
    assert rows.loc["x1", "subsidy"] == D("5833333.33")
    assert rows.loc["x2", "subsidy"] == D("4166666.67")


def test_r4_lease_cap_is_five_million_and_separate_from_loans(ledger):
    # lease 6 %: 18,000,000.03 × 1/3 = 6,000,000.01 → capped to 5,000,000.00;
    # the same project's bank loan: 20,000,000 × ½ = 10,000,000.00, exactly the loan cap.
    ledger.loan("F", inst_id="F1", kind="lease_direct", rate=D("0.06"), amount=D("900000000"))
    ledger.loan("L", amount=D("900000000"))
    ledger.payment("f", "F", date(2025, 6, 20), "18000000.03")
    ledger.payment("l", "L", date(2025, 6, 20), "20000000.00")
    table = subsidy_table(ledger.con, 2025, scope=REGULATOR, policy=POLICY).set_index("kind")
    assert table.loc["lease", "uncapped"] == D("6000000.01")
    assert table.loc["lease", "subsidy"] == D("5000000.00") and table.loc["lease", "capped"]
    assert table.loc["loan", "subsidy"] == D("10000000.00") and not table.loc["loan", "capped"]


def test_r4_cap_is_per_calendar_year_of_paid_on(ledger):
    # 6,000,000 uncapped paid 2025-12-31 and 6,000,000 paid 2026-01-01: neither year reaches 10,000,000
    ledger.loan("L", amount=D("900000000"))
    ledger.payment("dec", "L", date(2025, 12, 31), "12000000")
    ledger.payment("jan", "L", date(2026, 1, 1), "12000000")
    assert subsidy_table(ledger.con, 2025, scope=REGULATOR, policy=POLICY)["subsidy"].sum() == D("6000000.00")
    assert subsidy_table(ledger.con, 2026, scope=REGULATOR, policy=POLICY)["subsidy"].sum() == D("6000000.00")


def test_r4_a_bank_sees_only_its_own_share_of_a_capped_project(ledger):
    ledger.loan("LA", inst_id="B1", amount=D("500000000"))
    ledger.loan("LB", inst_id="B2", amount=D("500000000"))
    ledger.payment("a", "LA", date(2025, 3, 20), "14000000.00")
    ledger.payment("b", "LB", date(2025, 6, 20), "10000000.02")
    mine = subsidy_table(ledger.con, 2025, scope=Scope("institution", inst_id="B2"), policy=POLICY)
    assert mine["inst_id"].tolist() == ["B2"] and mine["subsidy"].tolist() == [D("4166666.67")]
    assert by_payment(ledger.con, scope=Scope("institution", inst_id="B2")).index.tolist() == ["b"]
    assert subsidy_table(ledger.con, 2025, scope=Scope("district", district_code=OTHER_DISTRICT), policy=POLICY).empty


def test_r4_refused_and_eligible_payments_in_one_row(ledger):
    # pooled 2025-05-01: the April payment is refused (not_pooled), the June one is paid (½ × 1,000)
    ledger.con.execute("update projects set pooled_on = '2025-05-01'")
    ledger.loan("L")
    ledger.payment("apr", "L", date(2025, 4, 20), "1000")
    ledger.payment("jun", "L", date(2025, 6, 20), "1000")
    row = subsidy_table(ledger.con, 2025, scope=REGULATOR, policy=POLICY).iloc[0]
    assert (row["items"], row["refused"], row["reason"]) == (2, 1, "not_pooled")
    assert row["subsidy"] == D("500.00") and not row["capped"]


def test_r1_a_row_lists_each_refusal_reason_once_in_order(ledger):
    # in force 2024-06-09 (R1), pooled 2024-07-01: 06-08 and 06-07 outside the policy period, 06-20 not yet
    # pooled, 07-20 and 08-20 paid (½ × 1,000 each); the codes sorted, the labels sorted on their own
    ledger.con.execute("update projects set pooled_on = '2024-07-01'")
    ledger.loan("L")
    for payment_id, paid_on in (("a", date(2024, 6, 7)), ("b", date(2024, 6, 8)), ("c", date(2024, 6, 20)),
                                ("d", date(2024, 7, 20)), ("e", date(2024, 8, 20))):
        ledger.payment(payment_id, "L", paid_on, "1000")
    row = subsidy_table(ledger.con, 2024, scope=REGULATOR, policy=POLICY).iloc[0]
    assert (row["items"], row["refused"], row["subsidy"]) == (5, 3, D("1000.00"))
    assert row["reason"] == "not_pooled;outside_policy_period"
    assert row["reason_text"] == "不在本政策执行期内；付款时项目尚未入库"


def test_r1_three_reasons_of_two_loans_in_one_row_each_list_sorted_on_its_own(ledger):
    # one project, bank and enterprise: loan L's payments outside the policy period (06-07) and before
    # pooling (06-20), loan M all land (R2); the codes sorted, the labels sorted on their own (不 < 付 < 贷)
    ledger.con.execute("update projects set pooled_on = '2024-07-01'")
    ledger.loan("L")
    ledger.loan("M", land_amount=D("10000000"))
    ledger.payment("a", "L", date(2024, 6, 7), "1000")
    ledger.payment("b", "L", date(2024, 6, 20), "1000")
    ledger.payment("c", "M", date(2024, 7, 20), "1000")
    ledger.payment("d", "L", date(2024, 7, 20), "1000")
    row = subsidy_table(ledger.con, 2024, scope=REGULATOR, policy=POLICY).iloc[0]
    assert (row["items"], row["refused"], row["subsidy"]) == (4, 3, D("500.00"))
    assert row["reason"] == "land_portion;not_pooled;outside_policy_period"
    assert row["reason_text"] == "不在本政策执行期内；付款时项目尚未入库；贷款全部用于土地，土地部分不贴息"


def test_no_reason_code_or_label_holds_the_separator_the_table_joins_them_with():
    # queries/subsidy/by_project.sql joins a row's reasons with chr(31) and splits them again to sort them
    labels = {**KIND_LABELS, **POLICY.reason_labels(), **STATUS_LABELS}
    assert labels and not [text for pair in labels.items() for text in pair if "\x1f" in text]
    sources = [path for path in QUERIES.rglob("*.sql") if "\x1f" in path.read_text("utf-8")]
    assert not sources


# --- R5 guarantee rewards ------------------------------------------------------------------


def guarantee_rows(con, year):
    table = subsidy_table(con, year, scope=REGULATOR, policy=POLICY)
    return table[table["kind"] == "guarantee"].set_index("inst_id")


def test_r5_fee_rate_at_one_percent_is_rewarded_above_is_not(ledger):
    # 1 %: ½ × 30,000 = 15,000 ; 1.0001 % (0.010001) > 1 % → 0, fee_rate_above_1pct
    ledger.institution("G2", "guarantee")
    ledger.loan("L")
    ledger.guarantee("g1", "L", "30000", fee_rate="0.01")
    ledger.guarantee("g2", "L", "30000", fee_rate="0.010001", guarantor="G2")
    rows = guarantee_rows(ledger.con, 2025)
    assert rows.loc["G1", "subsidy"] == D("15000.00")
    assert rows.loc["G2", "subsidy"] == D("0.00") and rows.loc["G2", "reason"] == "fee_rate_above_1pct"


def test_r5_reward_rounds_half_up(ledger):
    # ½ × 0.01 = 0.005 → 0.01
    ledger.loan("L")
    ledger.guarantee("g", "L", "0.01")
    assert guarantee_rows(ledger.con, 2025).loc["G1", "subsidy"] == D("0.01")


def test_r5_one_million_cap_over_the_project_life_across_years(ledger):
    # 2025: ½ × 1,600,000 = 800,000 (running 800,000)
    # 2026: ½ × 600,000 = 300,000, only 1,000,000 − 800,000 = 200,000 left → 200,000
    # 2027: ½ × 100,000 = 50,000, nothing left → 0
    ledger.loan("L")
    ledger.guarantee("g25", "L", "1600000", paid_on=date(2025, 3, 1))
    ledger.guarantee("g26", "L", "600000", paid_on=date(2026, 3, 1))
    ledger.guarantee("g27", "L", "100000", paid_on=date(2027, 3, 1))
    assert guarantee_rows(ledger.con, 2025).loc["G1", "subsidy"] == D("800000.00")
    y2026 = guarantee_rows(ledger.con, 2026).loc["G1"]
    assert (y2026["uncapped"], y2026["subsidy"], y2026["capped"]) == (D("300000.00"), D("200000.00"), True)
    assert guarantee_rows(ledger.con, 2027).loc["G1", "subsidy"] == D("0.00")


def test_r5_cap_shared_by_two_guarantors_in_one_year(ledger):
    # ½ × 1,500,000 = 750,000 and ½ × 750,000.02 = 375,000.01: total 1,125,000.01 > 1,000,000
    # G1: 1e8 × 75,000,000 / 112,500,001 = 66,666,666.07 → 66,666,666
    # G2: 1e8 × 37,500,001 / 112,500,001 = 33,333,333.93 → 33,333,333; 1 fen left → G1 (largest)
    ledger.institution("G2", "guarantee")
    ledger.loan("L")
    ledger.guarantee("g1", "L", "1500000")
    ledger.guarantee("g2", "L", "750000.02", guarantor="G2")
    rows = guarantee_rows(ledger.con, 2025)
    assert rows.loc["G1", "subsidy"] == D("666666.67")
    assert rows.loc["G2", "subsidy"] == D("333333.33")


def test_r5_only_for_loans_of_eligible_projects_and_real_guarantee_firms(ledger):
    ledger.con.execute("update projects set filed_on = null")
    ledger.loan("L")
    ledger.guarantee("g1", "L", "30000")
    ledger.guarantee("g2", "L", "30000", guarantor="B2")
    rows = subsidy_table(ledger.con, 2025, scope=REGULATOR, policy=POLICY).set_index("inst_id")
    assert rows.loc["G1", "reason"] == "not_filed" and rows.loc["G1", "subsidy"] == D("0.00")
    assert rows.loc["B2", "reason"] == "not_filed"  # the loan's refusal comes first
    ledger.con.execute("update projects set filed_on = '2024-01-10'")
    rows = subsidy_table(ledger.con, 2025, scope=REGULATOR, policy=POLICY).set_index("inst_id")
    assert rows.loc["B2", "reason"] == "guarantor_not_guarantee_firm"
    assert rows.loc["G1", "subsidy"] == D("15000.00")


# --- R6 insurance ---------------------------------------------------------------------------


def insurance_rows(con, year=2025):
    table = subsidy_table(con, year, scope=REGULATOR, policy=POLICY)
    return table[table["policy_id"].notna()].set_index("policy_id")


def test_r6_first_set_premium_counted_at_most_at_three_percent(ledger):
    # a: insured 10,000,000, premium 400,000 (4 %) → eligible 300,000 → 0.8 × 300,000 = 240,000
    # b: insured 10,000,000, premium 250,000 (2.5 %) → 0.8 × 250,000 = 200,000
    # c: insured 1,000.01, premium 100 → 3 % × 1,000.01 = 30.0003 → 0.8 × 30.0003 = 24.00024 → 24.00
    ledger.policy("a", "first_set_equipment", "400000", insured="10000000", product="A型机床")
    ledger.policy("b", "first_set_equipment", "250000", insured="10000000", product="B型机床")
    ledger.policy("c", "first_set_equipment", "100", insured="1000.01", product="C型机床")
    rows = insurance_rows(ledger.con)
    assert rows.loc["a", "subsidy"] == D("240000.00")
    assert rows.loc["b", "subsidy"] == D("200000.00")
    assert rows.loc["c", "subsidy"] == D("24.00")


def test_r6_first_set_cap_five_million_per_product_and_year(ledger):
    # one policy: premium 9,000,000 at 3 % of 300,000,000 → 0.8 × 9,000,000 = 7,200,000 → 5,000,000
    # two policies on one product: 0.8 × 5,000,000 = 4,000,000 each, 8,000,000 → 5,000,000, 2,500,000 each
    ledger.policy("big", "first_set_equipment", "9000000", insured="300000000", product="盾构机")
    ledger.policy("h1", "first_set_equipment", "5000000", insured="200000000", product="风电主轴")
    ledger.policy("h2", "first_set_equipment", "5000000", insured="200000000", product="风电主轴")
    rows = insurance_rows(ledger.con)
    assert (rows.loc["big", "uncapped"], rows.loc["big", "subsidy"]) == (D("7200000.00"), D("5000000.00"))
    assert rows.loc["h1", "subsidy"] == D("2500000.00") == rows.loc["h2", "subsidy"]
    assert rows.loc["h1", "capped"] and rows.loc["h1", "project_id"] == "P1"


def test_r6_software_and_cost_loss_are_eighty_percent_up_to_one_million(ledger):
    # software: 0.8 × 100,000 = 80,000 ; 0.8 × 1,500,000 = 1,200,000 → 1,000,000
    # cost loss: 0.8 × 1,250,000.01 = 1,000,000.008 → 1,000,000.01 → capped 1,000,000.00
    ledger.project("P2")
    ledger.policy("s1", "software_first_version", "100000", product="工业软件V1")
    ledger.policy("s2", "software_first_version", "1500000", product="工业软件V2")
    ledger.policy("c1", "project_cost_loss", "1250000.01", product=None, project_id="P2")
    ledger.policy("c2", "project_cost_loss", "10000", product=None, project_id=None)
    rows = insurance_rows(ledger.con)
    assert rows.loc["s1", "subsidy"] == D("80000.00")
    assert rows.loc["s2", "subsidy"] == D("1000000.00")
    assert rows.loc["c1", "uncapped"] == D("1000000.01") and rows.loc["c1", "subsidy"] == D("1000000.00")
    assert rows.loc["c2", "reason"] == "no_project" and rows.loc["c2", "project_id"] == "c2"


def test_r6_first_set_without_insured_amount_is_refused(ledger):
    ledger.policy("x", "first_set_equipment", "1000", insured=None)
    row = insurance_rows(ledger.con).loc["x"]
    assert row["reason"] == "no_insured_amount" and row["subsidy"] == D("0.00")


def test_r6_policy_year_selects_the_year(ledger):
    ledger.policy("y24", "software_first_version", "1000", year=2024)
    assert insurance_rows(ledger.con, 2025).empty
    assert insurance_rows(ledger.con, 2024).loc["y24", "subsidy"] == D("800.00")


# --- R7 payment queue -----------------------------------------------------------------------


@pytest.fixture()
def queue_ledger(ledger):
    """B2 cooperates in 2025; B1 does not. Subsidies (½ of interest at 3 %):
    b1_jan 100.00 (B1, 01-10), b2_jun 200.00 (B2, 06-10), b2_feb 300.00 (B2, 02-10),
    b1_feb 50.00 (B1, 02-10, same day as b1_feb2 50.00 — payment_id breaks the tie)."""
    ledger.cooperating(2025, "B2")
    ledger.cooperating(2024, "B1")  # another year's list does not count
    ledger.loan("L1", inst_id="B1")
    ledger.loan("L2", inst_id="B2")
    ledger.payment("b1_jan", "L1", date(2025, 1, 10), "200")
    ledger.payment("b2_jun", "L2", date(2025, 6, 10), "400")
    ledger.payment("b2_feb", "L2", date(2025, 2, 10), "600")
    ledger.payment("b1_feb2", "L1", date(2025, 2, 10), "100")
    ledger.payment("b1_feb", "L1", date(2025, 2, 10), "100")
    return ledger


def test_r7_cooperating_institutions_first_then_paid_on_then_id(queue_ledger):
    queue = payment_queue(queue_ledger.con, 2025, scope=REGULATOR, policy=POLICY)
    assert queue["payment_id"].tolist() == ["b2_feb", "b2_jun", "b1_jan", "b1_feb", "b1_feb2"]
    assert queue["queue_no"].tolist() == [1, 2, 3, 4, 5]
    assert (queue["status"] == "paid").all() and (queue["paid"] == queue["subsidy"]).all()


def test_r7_budget_cut(queue_ledger):
    # budget 550.00: b2_feb 300 paid (250 left), b2_jun 200 paid (50 left), b1_jan 100 → 50 partial,
    # b1_feb and b1_feb2 wait
    queue = payment_queue(queue_ledger.con, 2025, budget=D("550.00"), scope=REGULATOR, policy=POLICY).set_index("payment_id")
    assert queue["status"].to_dict() == {
        "b2_feb": "paid", "b2_jun": "paid", "b1_jan": "partial", "b1_feb": "waiting", "b1_feb2": "waiting"}
    assert queue.loc["b1_jan", "paid"] == D("50.00") and queue.loc["b1_jan", "ahead"] == D("500.00")
    assert queue["paid"].sum() == D("550.00")
    assert queue.loc["b1_feb", "status_text"] == "待拨付"


def test_r7_city_share_rounds_half_up_and_district_pays_the_rest(queue_ledger):
    # one third to the city: 300.00 / 3 = 100.00; 200.00 / 3 = 66.666… → 66.67, district 133.33;
    # 50.00 / 3 = 16.666… → 16.67, district 33.33
    queue = payment_queue(queue_ledger.con, 2025, city_share=D(1) / D(3), scope=REGULATOR, policy=POLICY).set_index("payment_id")
    assert (queue.loc["b2_jun", "city_part"], queue.loc["b2_jun", "district_part"]) == (D("66.67"), D("133.33"))
    assert queue.loc["b1_feb", "city_part"] == D("16.67")
    assert (queue["city_part"] + queue["district_part"] == queue["subsidy"]).all()


def test_r7_a_bank_sees_its_claims_at_their_place_in_the_whole_queue(queue_ledger):
    mine = payment_queue(queue_ledger.con, 2025, budget=D("550"), scope=Scope("institution", inst_id="B1"), policy=POLICY)
    assert mine["queue_no"].tolist() == [3, 4, 5] and set(mine["inst_id"]) == {"B1"}


def test_r7_each_claim_names_its_payment_s_loan_enterprise_institution_and_place(queue_ledger):
    """The kept order holds only what the order needs; each claim's loan, project, enterprise,
    institution, district, kind and day are its payment's (read through the scope's payments)."""
    queue_ledger.enterprise(OTHER_ENT, district=OTHER_DISTRICT)
    queue_ledger.project("P2", ent_id=OTHER_ENT, district=OTHER_DISTRICT)
    queue_ledger.loan("L3", inst_id="B2", project_id="P2", ent_id=OTHER_ENT)
    queue_ledger.payment("b2_mar", "L3", date(2025, 3, 10), "300")
    named = ["loan_id", "project_id", "ent_id", "inst_id", "district_code", "kind", "paid_on"]
    for scope in (REGULATOR, Scope("institution", inst_id="B2")):
        queue = payment_queue(queue_ledger.con, 2025, scope=scope, policy=POLICY).set_index("payment_id")
        detail = payment_detail(queue_ledger.con, 2025, scope=scope, policy=POLICY).set_index("payment_id")
        detail = detail[detail["subsidy"] > 0]  # the claims
        assert len(queue) == len(detail) > 0 and (scope.role == "institution" or queue["district_code"].nunique() == 2)
        pd.testing.assert_frame_equal(queue[named], detail.loc[queue.index, named])


def test_the_detail_as_arrow_holds_the_frame_s_rows_with_money_as_decimal128(queue_ledger):
    """`payment_detail(arrow=True)`, the form the annual job keeps until its writer, is the frame's rows:
    money as decimal128 and days as date32, no Python object per cell. b2_feb: ½ × 600.00 = 300.00 (R2)."""
    table = payment_detail(queue_ledger.con, 2025, scope=REGULATOR, policy=POLICY, arrow=True)
    frame = payment_detail(queue_ledger.con, 2025, scope=REGULATOR, policy=POLICY)
    assert table.schema.field("subsidy").type == pa.decimal128(18, 2)
    assert table.schema.field("paid_on").type == pa.date32()
    ids = table.column("payment_id").to_pylist()
    assert table.column("subsidy")[ids.index("b2_feb")].as_py() == D("300.00") and len(ids) == len(frame) == 5
    pd.testing.assert_frame_equal(engine.to_pandas(table), frame)


def test_r7_rejects_impossible_settings(queue_ledger):
    with pytest.raises(ValueError):
        payment_queue(queue_ledger.con, 2025, city_share=D("1.2"), scope=REGULATOR, policy=POLICY)
    with pytest.raises(ValueError):
        payment_queue(queue_ledger.con, 2025, budget=D("-1"), scope=REGULATOR, policy=POLICY)


# --- R8 re-lending ---------------------------------------------------------------------------


def test_r8_agri_small_relending_violations_are_listed_with_reasons(ledger):
    ledger.institution("LOC", "bank", local=True)
    for ent_id, size, ownership, agricultural in (
        ("91500103MA5U000011", "large", "state", False),  # large state firm: not allowed
        ("91500103MA5U000012", "small", "state", False),  # small: allowed
        ("91500103MA5U000013", "large", "state", True),  # agricultural: allowed
        ("91500103MA5U000014", "large", "private", False),  # private: allowed only below 30,000,000
    ):
        ledger.enterprise(ent_id, size=size, ownership=ownership, agricultural=agricultural)
    rows = [
        ("ok_small", "LOC", "91500103MA5U000012", None),
        ("ok_agri", "LOC", "91500103MA5U000013", None),
        ("ok_private", "LOC", "91500103MA5U000014", D("29999999.99")),
        ("bad_lender", "B1", "91500103MA5U000012", None),  # B1 is not a local legal person
        ("bad_large", "LOC", "91500103MA5U000011", None),
        ("bad_line", "LOC", "91500103MA5U000014", D("30000000.00")),  # not *below* 30,000,000
        ("no_line", "LOC", "91500103MA5U000014", None),
        ("both", "B1", "91500103MA5U000011", None),
    ]
    for loan_id, inst_id, ent_id, credit_line in rows:
        ledger.loan(loan_id, inst_id=inst_id, ent_id=ent_id, relending="agri_small", credit_line=credit_line)
    ledger.loan("tech", inst_id="B1", ent_id="91500103MA5U000011", relending="tech")  # other scheme: not checked
    found = relending_check(ledger.con, scope=REGULATOR, policy=POLICY).set_index("loan_id")
    assert found["reason"].to_dict() == {
        "bad_lender": "lender_not_local",
        "bad_large": "borrower_not_eligible",
        "bad_line": "borrower_not_eligible",
        "no_line": "credit_line_missing",
        "both": "lender_not_local;borrower_not_eligible",
    }
    assert found.loc["both", "reason_text"] == "放款机构不是地方法人金融机构；借款企业不是涉农企业、小微企业或单户授信3000万元以下的民营企业"
    assert relending_check(ledger.con, scope=Scope("institution", inst_id="LOC"), policy=POLICY).index.size == 3


# --- settings and the command line ---------------------------------------------------------


def test_rules_are_settings(ledger):
    # a 3 % rate under a 1-point rule: 300,000 × min(½, 0.01/0.03) = 100,000
    ledger.loan("L")
    ledger.payment("p", "L", date(2025, 6, 20), "300000")
    one_point = load_policy(load_policy().text.replace("rate_points = 0.02", "rate_points = 0.01"))
    detail = payment_detail(ledger.con, 2025, policy=one_point, scope=REGULATOR)
    assert detail.iloc[0]["subsidy"] == D("100000.00")


@pytest.mark.slow  # end to end: the command line in a subprocess
def test_cli_writes_the_table_and_the_detail(tmp_path):
    path = tmp_path / "small.duckdb"
    con = bootstrap.connect(path, demo_if_missing=False)
    book = Ledger(con)
    book.institution("B1")
    book.enterprise()
    book.project()
    book.loan("L")
    book.payment("p", "L", date(2025, 6, 20), "300000")
    con.close()
    out, detail = tmp_path / "x.csv", tmp_path / "y.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "scoring", "subsidy", "--db", str(path), "--year", "2025",
         "--out", str(out), "--detail", str(detail)],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent, check=False)
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [(r["project_id"], r["kind"], r["subsidy"]) for r in rows] == [("P1", "loan", "150000.00")]
    sheet = pd.read_excel(detail, sheet_name="payments", dtype=str)
    assert sheet["payment_id"].tolist() == ["p"] and sheet["subsidy"].tolist() == ["150000"]
