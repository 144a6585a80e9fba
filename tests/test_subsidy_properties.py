"""Invariants of the subsidy engine on random data (POLICY.md R2–R7), checked with hypothesis.

The oracle is exact rational arithmetic (`fractions.Fraction`) straight from the policy's
formulas, independent of the engine's integer SQL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scoring import bootstrap
from scoring.money import from_fen, half_up, to_fen
from scoring.policy import load_policy
from scoring.subsidy import payment_detail, payment_queue, subsidy_table
from test_subsidy import Ledger
from scoring.access import REGULATOR

POLICY = load_policy()  # the built-in policy file

pytestmark = pytest.mark.slow  # hypothesis examples that fill a database

TABLES = ("interest_payments", "guarantees", "insurance_policies", "cooperation", "loans", "projects",
          "enterprises", "institutions")
RESET = ";".join(f"delete from {table}" for table in TABLES)
PROPERTY = settings(max_examples=30, deadline=None)  # each example runs the whole pipeline (~0.3 s)


@pytest.fixture(scope="module")
def ledger():
    """One database for the module; every example starts by emptying the reported tables."""
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    yield Ledger(con)
    con.close()


def fresh(ledger: Ledger) -> Ledger:
    ledger.con.execute(RESET)
    for inst_id, kind in (("B1", "bank"), ("B2", "bank"), ("F1", "leasing"), ("G1", "guarantee"), ("I1", "insurer")):
        ledger.institution(inst_id, kind)
    ledger.enterprise()
    ledger.project()
    return ledger


loans = st.lists(
    st.fixed_dictionaries({
        "kind": st.sampled_from(["loan", "loan", "lease_direct"]),
        "bank": st.sampled_from(["B1", "B2"]),
        "rate_micro": st.integers(1_000, 240_000),  # 0.1 % … 24 %
        "amount_fen": st.integers(1, 10**12),
        # without land (most loans) the engine takes its BIGINT path, unless a payment is 1,000,000,000 yuan or more
        "land_per_mille": st.one_of(st.just(0), st.integers(0, 1000)),
        "payments": st.lists(st.tuples(st.one_of(st.integers(0, 10**10), st.integers(10**11 - 2, 10**15)),
                                       st.integers(1, 365)), min_size=1, max_size=3),
    }),
    min_size=1, max_size=4,
)
caps = st.tuples(st.integers(0, 10**10), st.integers(0, 10**10))  # loan, lease caps in fen: small enough to bind


def fill(ledger: Ledger, drawn: list[dict]) -> dict[str, dict]:
    """Insert the drawn loans and their 2025 payments; returns each payment's inputs."""
    inputs = {}
    for i, loan in enumerate(drawn):
        loan_id = f"L{i}"
        amount = loan["amount_fen"]
        land = amount * loan["land_per_mille"] // 1000
        ledger.loan(loan_id, inst_id=loan["bank"] if loan["kind"] == "loan" else "F1", kind=loan["kind"],
                    amount=from_fen(amount), land_amount=from_fen(land),
                    rate=Decimal(loan["rate_micro"]).scaleb(-6))
        for j, (interest, day) in enumerate(loan["payments"]):
            payment_id = f"p{i}_{j}"
            ledger.payment(payment_id, loan_id, date(2025, 1, 1) + timedelta(days=day - 1), from_fen(interest))
            inputs[payment_id] = {"kind": loan["kind"], "interest": interest, "amount": amount, "land": land,
                                  "rate_micro": loan["rate_micro"], "loan_id": loan_id}
    return inputs


def expected_uncapped(p: dict, loan_share: Fraction = Fraction(1, 2)) -> Decimal:
    """R2/R3 by the letter: interest × (1 − land/amount) × min(share, 0.02 / rate), half-up once."""
    share = loan_share if p["kind"] == "loan" else Fraction(1)
    factor = min(share, Fraction(20_000, p["rate_micro"]))
    return half_up(Fraction(p["interest"], 100) * Fraction(p["amount"] - p["land"], p["amount"]) * factor)


@PROPERTY
@given(drawn=loans, cap_fen=caps)
# a loan without land at a rate where the 2 points bind: a payment on the BIGINT path and one of
# 10,000,000,000,000 yuan, whose fraction would overflow BIGINT, on the HUGEINT path
@example(drawn=[{"kind": "loan", "bank": "B1", "rate_micro": 100_000, "amount_fen": 10**9, "land_per_mille": 0,
                 "payments": [(123_457, 10), (10**15, 20)]}], cap_fen=(10**10, 10**10))
def test_payments_round_half_up_caps_hold_and_shares_add_up(ledger, drawn, cap_fen):
    """R2–R4: each payment's subsidy is the exact formula rounded half-up once; no subsidy
    exceeds its uncapped amount or the interest; a project's loans (leases) get exactly
    min(uncapped total, cap) to the fen, each loan its proportional share within a fen;
    the project table's rows are the sums of their payments."""
    inputs = fill(fresh(ledger), drawn)
    policy = replace(load_policy(), loan_cap=from_fen(cap_fen[0]), lease_cap=from_fen(cap_fen[1]))
    detail = payment_detail(ledger.con, 2025, policy=policy, scope=REGULATOR).set_index("payment_id")
    assert set(detail.index) == set(inputs)
    for payment_id, p in inputs.items():
        row = detail.loc[payment_id]
        assert row["uncapped"] == expected_uncapped(p)
        assert Decimal(0) <= row["subsidy"] <= row["uncapped"] <= row["interest_paid"]
    for kind, cap in (("loan", cap_fen[0]), ("lease", cap_fen[1])):
        per_loan = detail[detail["kind"] == kind].groupby("loan_id")[["uncapped", "subsidy"]].sum()
        total = to_fen(per_loan["uncapped"].sum())
        target = min(total, cap)
        assert to_fen(per_loan["subsidy"].sum()) == target
        for uncapped, subsidy in zip(per_loan["uncapped"], per_loan["subsidy"], strict=True):
            exact = Fraction(target * to_fen(uncapped), total) if total else Fraction(0)
            assert exact - 1 < to_fen(subsidy) < exact + 1
    table = subsidy_table(ledger.con, 2025, policy=policy, scope=REGULATOR)
    per_bank = detail.groupby(["kind", "inst_id"])["subsidy"].sum()
    assert table.set_index(["kind", "inst_id"])["subsidy"].to_dict() == per_bank.to_dict()


@pytest.mark.parametrize("share", ["0.333333", "0.3333333333333333333333"])
def test_a_loan_share_with_many_decimals_gives_the_exact_subsidy(ledger, share):
    """R2 under a policy whose loan share has six decimals or more, on a loan without land and one with:
    the share's denominator (1,000,000 or beyond) overflowed INTEGER beside the 2 points (20,000 × 1,000,000),
    and a denominator beyond BIGINT must keep a payment without land off the BIGINT path."""
    drawn = [{"kind": "loan", "bank": "B1", "rate_micro": 10_000, "amount_fen": 10**9, "land_per_mille": land,
              "payments": [(123_457, 10)]} for land in (0, 250)]
    inputs = fill(fresh(ledger), drawn)
    policy = replace(load_policy(), loan_rate_share=Decimal(share))
    detail = payment_detail(ledger.con, 2025, policy=policy, scope=REGULATOR).set_index("payment_id")
    for payment_id, p in inputs.items():
        assert detail.loc[payment_id, "uncapped"] == expected_uncapped(p, Fraction(Decimal(share)))
        assert detail.loc[payment_id, "basis"] == "rate_share"


@PROPERTY
@given(drawn=loans, budget_fen=st.one_of(st.none(), st.integers(0, 10**11)), city_per_mille=st.integers(0, 1000),
       cooperating=st.sampled_from([None, "B1", "B2"]))
def test_queue_never_pays_more_than_the_budget(ledger, drawn, budget_fen, city_per_mille, cooperating):
    """R7: the queue pays in order until the budget is spent, never beyond it; every claim is
    paid, partly paid (at most one) or waits; city and district parts add up to the claim."""
    fill(fresh(ledger), drawn)
    if cooperating:
        ledger.cooperating(2025, cooperating)
    budget = None if budget_fen is None else from_fen(budget_fen)
    queue = payment_queue(ledger.con, 2025, budget=budget, city_share=Decimal(city_per_mille).scaleb(-3),
                          scope=REGULATOR, policy=POLICY)
    total = queue["subsidy"].sum()
    assert queue["paid"].sum() == (total if budget is None else min(total, budget))
    statuses = "".join(queue["status"].map({"paid": "p", "partial": "x", "waiting": "w"}))
    assert statuses == "p" * statuses.count("p") + "x" * statuses.count("x") + "w" * statuses.count("w")
    assert statuses.count("x") <= 1
    assert (queue["city_part"] + queue["district_part"] == queue["subsidy"]).all()
    if cooperating:
        first = queue["cooperating"].tolist()
        assert first == sorted(first, reverse=True)


@settings(max_examples=12, deadline=None)  # four years, four runs per example
@given(fees=st.lists(st.tuples(st.integers(0, 10**9), st.sampled_from([2024, 2025, 2026, 2027]),
                               st.sampled_from(["G1", "G2"])), min_size=1, max_size=6))
def test_guarantee_rewards_never_exceed_the_lifetime_cap(ledger, fees):
    """R5: over all years, a project's rewards add up to min(½ × fees, 1,000,000)."""
    book = fresh(ledger)
    book.institution("G2", "guarantee")
    book.loan("L")
    for i, (fee, year, guarantor) in enumerate(fees):
        book.guarantee(f"g{i}", "L", from_fen(fee), paid_on=date(year, 7, 1), guarantor=guarantor)
    granted = Decimal(0)
    for year in (2024, 2025, 2026, 2027):
        rows = subsidy_table(book.con, year, scope=REGULATOR, policy=POLICY)
        rows = rows[rows["kind"] == "guarantee"]
        assert (rows["subsidy"] <= rows["uncapped"]).all()
        granted += rows["subsidy"].sum()
    uncapped = sum(half_up(Fraction(fee, 200)) for fee, _, _ in fees)
    assert granted == min(uncapped, Decimal("1000000.00"))
