"""The subsidy-budget simulator (scoring/budget.py, issue 11 §2): variants as policy files,
worked numbers by hand (R2, R4, R5, R7), the baseline identity against `subsidy`, the budget's
limits, and cost monotone in every share and cap (hypothesis)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import bootstrap, budget
from scoring.access import REGULATOR, Scope
from scoring.policy import PolicyError, load_policy
from scoring.subsidy import payment_queue, subsidy_table
from test_subsidy import Ledger, ledger  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent


def two_loans(book: Ledger) -> None:
    """P1: B1's loan at 3 % paying 300,000 on 2025-03-20 and B2's at 5 % paying 500,000 on
    2025-06-20; a guarantee fee of 40,000 at 1 % on B1's loan (paid 2025-03-01)."""
    book.loan("L1", inst_id="B1", rate=D("0.03"))
    book.loan("L2", inst_id="B2", rate=D("0.05"))
    book.payment("p1", "L1", date(2025, 3, 20), "300000")
    book.payment("p2", "L2", date(2025, 6, 20), "500000")
    book.guarantee("g1", "L1", "40000")


def row(table, kind):
    return table.set_index(["project_id", "kind"]).loc[("P1", kind)]


def test_baseline_by_hand(ledger):
    """R2: 300,000 × 50 % = 150,000 and 500,000 × 2/5 % = 200,000 → loan 350,000; R5: 40,000 × 50 % = 20,000."""
    two_loans(ledger)
    table = budget.simulate(ledger.con, 2025, budget.load_variant(None))
    assert row(table, "loan")[["baseline", "variant", "paid", "waiting"]].tolist() == [
        D("350000.00"), D("350000.00"), D("350000.00"), D("0.00")]
    assert row(table, "guarantee")["variant"] == D("20000.00")
    assert row(table, "loan")["inst_ids"] == "B1;B2"


def test_a_scope_sees_the_rows_it_finances_guarantees_or_insures(ledger):
    """An institution sees a project's row when it is one of the row's institutions (B1 in "B1;B2", the
    guarantor G1 on the guarantee's row), not when its id is only part of another's; a district sees
    its own projects."""
    two_loans(ledger)
    variant = budget.load_variant(None)
    everything = budget.simulation(ledger.con, 2025, variant)
    mine = {inst: budget.simulation(ledger.con, 2025, variant, scope=Scope("institution", inst_id=inst))
            for inst in ("B1", "B2", "G1", "B")}
    assert mine["B1"]["kind"].to_pylist() == mine["B2"]["kind"].to_pylist() == ["loan"]  # both lenders of P1
    assert mine["G1"]["kind"].to_pylist() == ["guarantee"]  # the guarantor its reward
    assert mine["B"].num_rows == 0  # "B" is a prefix of B1 and B2, not one of them
    district = everything["district_code"][0].as_py()
    assert budget.simulation(ledger.con, 2025, variant, scope=Scope("district", district_code=district)).equals(
        everything.filter(pc.equal(everything["district_code"], district)))


def test_a_partial_variant_by_hand(ledger):
    """Share 60 % and 2.5 points: 300,000 × 60 % = 180,000 (1.8 % < 2.5); 500,000 × 2.5/5 = 250,000;
    loan cap 400,000 (R4) binds: 430,000 → 400,000. Guarantee share 80 %: 32,000."""
    two_loans(ledger)
    variant = budget.load_variant("[interest]\nloan_rate_share = 0.6\nrate_points = 0.025\n"
                                  "[caps]\nloan = 400_000\n[guarantee]\nshare = 0.8\n")
    table = budget.simulate(ledger.con, 2025, variant)
    loan = row(table, "loan")
    assert (loan["baseline"], loan["variant"], loan["change"]) == (D("350000.00"), D("400000.00"), D("50000.00"))
    assert row(table, "guarantee")["variant"] == D("32000.00")


def test_budget_pays_in_queue_order_then_guarantees(ledger):
    """R7: B2 cooperates, so its claim (200,000) is first, then B1's (150,000), then the guarantee
    reward (20,000). A budget of 260,000 pays 200,000 + 60,000 of B1's claim; the guarantee waits."""
    two_loans(ledger)
    ledger.cooperating(2025, "B2")
    table = budget.simulate(ledger.con, 2025, budget.load_variant("[budget]\namount = 260_000\n"))
    assert (row(table, "loan")["paid"], row(table, "loan")["waiting"]) == (D("260000.00"), D("90000.00"))
    assert (row(table, "guarantee")["paid"], row(table, "guarantee")["waiting"]) == (D("0.00"), D("20000.00"))
    by_date = budget.simulate(ledger.con, 2025, budget.load_variant(
        '[budget]\namount = 160_000\npriority = "paid_on"\n'))
    assert row(by_date, "loan")["paid"] == D("160000.00")  # B1's March claim first, then 10,000 of B2's


@pytest.mark.parametrize(("amount", "paid"), [(None, "370000.00"), (0, "0.00")])
def test_unlimited_budget_pays_everything_and_zero_pays_nothing(ledger, amount, paid):
    two_loans(ledger)
    table = budget.simulate(ledger.con, 2025, budget.Variant(load_policy(), None if amount is None else D(amount)))
    sums = budget.totals(table)
    assert sums["paid"] == D(paid)
    assert sums["waiting"] == sums["variant"] - D(paid)


def test_city_share_splits_each_row_half_up(ledger):
    """R7 市区共担: 350,000 × 1/3 = 116,666.666… → 116,666.67 city, 233,333.33 district."""
    two_loans(ledger)
    table = budget.simulate(ledger.con, 2025, budget.load_variant("[queue]\ncity_share = 0.333333333\n"))
    loan = row(table, "loan")
    assert (loan["city_part"], loan["district_part"]) == (D("116666.67"), D("233333.33"))


def test_pay_whole_claims_then_one_in_part():
    assert budget.pay(np.array([5, 7, 3]), 9).tolist() == [5, 4, 0]
    assert budget.pay(np.array([5, 7, 3]), None).tolist() == [5, 7, 3]
    assert budget.pay(np.array([5, 7, 3]), 0).tolist() == [0, 0, 0]


def test_a_partial_variant_keeps_the_file_and_names_bad_keys():
    variant = budget.load_variant("[caps]\nloan = 20_000_000\n")
    assert variant.policy.loan_cap == D("20000000")
    assert "loan = 20000000" in variant.policy.text and "# 贷款贴息 1000 万元" in variant.policy.text
    assert variant.policy.lease_cap == load_policy().lease_cap
    with pytest.raises(PolicyError, match="caps.house"):
        budget.load_variant("[caps]\nhouse = 1\n")
    with pytest.raises(PolicyError, match="caps.loan"):
        budget.load_variant("[caps]\nloan = -5\n")
    with pytest.raises(PolicyError, match="budget"):
        budget.load_variant("[budget]\namount = -1\n")
    with pytest.raises(ValueError, match="priority"):
        budget.load_variant('[budget]\npriority = "random"\n')


def test_a_complete_policy_file_is_a_variant_as_it_is():
    text = load_policy().text
    assert budget.load_variant(text).policy.sha256 == load_policy().sha256


def test_sweep_of_the_loan_cap(ledger):
    """Cap 100,000 → 100,000; 300,000 → 300,000; 1,000,000 → 350,000 (plus the 20,000 guarantee)."""
    two_loans(ledger)
    curve = budget.sweep(ledger.con, 2025, "caps.loan", [100_000, 300_000, 1_000_000])
    assert curve["cost"].tolist() == [D("120000.00"), D("320000.00"), D("370000.00")]


# --- on the demo database -------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_copy):
    return demo_copy


@pytest.mark.slow
def test_baseline_reproduces_subsidy_to_the_fen(demo):
    _, con = demo
    table = budget.simulate(con, 2025, budget.load_variant(None))
    expected = subsidy_table(con, 2025, scope=REGULATOR, policy=load_policy()).groupby(["project_id", "kind"])["subsidy"].sum()
    got = table.set_index(["project_id", "kind"])
    assert (got["baseline"] == got["variant"]).all()
    assert got["variant"].to_dict() == expected.to_dict()
    assert budget.totals(table)["paid"] == budget.totals(table)["variant"]


@pytest.mark.slow
def test_interest_paid_is_the_payment_queue_s(demo):
    """With the default priority, what the simulator pays of interest claims is `payment_queue`'s `paid`."""
    _, con = demo
    amount = D("123456789.01")
    table = budget.simulate(con, 2025, budget.Variant(load_policy(), amount))
    queue = payment_queue(con, 2025, budget=amount, scope=REGULATOR, policy=load_policy())
    interest = table[table["kind"].isin(budget.INTEREST_KINDS)].set_index(["project_id", "kind"])["paid"]
    queued = queue.groupby(["project_id", "kind"])["paid"].sum()
    assert interest[interest > 0].to_dict() == queued[queued > 0].to_dict()
    assert budget.totals(table)["paid"] == amount


@pytest.mark.slow
def test_cli_baseline_equals_the_subsidy_command(demo_path, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, path)

    def run(*args):
        result = subprocess.run([sys.executable, "-m", "scoring", *args, "--db", str(path)], capture_output=True,
                                text=True, cwd=ROOT, timeout=300)
        assert result.returncode == 0, result.stderr
    run("budget", "--year", "2025", "--out", str(tmp_path / "b.csv"))
    run("subsidy", "--year", "2025", "--out", str(tmp_path / "s.csv"))
    with open(tmp_path / "b.csv", encoding="utf-8-sig") as f:
        simulated = {(r["project_id"], r["kind"]): D(r["baseline"]) for r in csv.DictReader(f)}
    subsidy: dict = {}
    with open(tmp_path / "s.csv", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            key = (r["project_id"], r["kind"])
            subsidy[key] = subsidy.get(key, D(0)) + D(r["subsidy"])
    assert simulated == subsidy
    run("budget", "--year", "2025", "--budget", "0", "--out", str(tmp_path / "z.csv"))
    zero = pd.read_csv(tmp_path / "z.csv", encoding="utf-8-sig")
    assert (zero["paid"] == 0).all() and zero["waiting"].sum() > 0


# --- cost is monotone in every share and cap (hypothesis) -------------------------------------

# parameter → (low, high) bounds of the values drawn; cost never falls when a share or a cap rises,
# nor when the fee-rate or premium-rate limit rises, and never rises when the threshold rises.
RISING = {
    "interest.loan_rate_share": (D("0.01"), D("1")), "interest.lease_rate_share": (D("0.01"), D("1")),
    "interest.rate_points": (D("0.001"), D("0.2")), "caps.loan": (D("1"), D("2000000")),
    "caps.lease": (D("1"), D("2000000")), "guarantee.share": (D("0.01"), D("1")),
    "guarantee.fee_rate_max": (D("0.001"), D("0.05")), "guarantee.cap": (D("1"), D("200000")),
    "insurance.share": (D("0.01"), D("1")), "insurance.first_set_rate_max": (D("0.001"), D("0.2")),
    "insurance.first_set_cap": (D("1"), D("200000")), "insurance.software_cap": (D("1"), D("200000")),
    "insurance.cost_loss_cap": (D("1"), D("200000")),
}
FALLING = {"eligibility.min_investment": (D("1"), D("20000000"))}


@pytest.fixture(scope="module")
def market():
    """Two projects (3 M and 8 M), loans and leases at several rates, guarantees at 0.5 % and 1.5 %,
    one policy of each insurance kind."""
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    book = Ledger(con)
    for inst_id, kind in (("B1", "bank"), ("F1", "leasing"), ("G1", "guarantee"), ("I1", "insurer")):
        book.institution(inst_id, kind)
    book.enterprise()
    book.project()
    book.project("P2", total_investment=D("8000000"))
    for i, (kind, inst, project, rate, interest) in enumerate([
            ("loan", "B1", "P1", "0.03", "300000"), ("loan", "B1", "P2", "0.055", "900000"),
            ("lease_direct", "F1", "P1", "0.06", "600000"), ("lease_direct", "F1", "P2", "0.015", "80000")]):
        book.loan(f"L{i}", inst_id=inst, project_id=project, kind=kind, rate=D(rate))
        book.payment(f"p{i}", f"L{i}", date(2025, 4 + i, 20), interest)
    book.guarantee("g1", "L0", "60000", fee_rate=D("0.005"))
    book.guarantee("g2", "L1", "90000", fee_rate=D("0.015"))
    book.policy("i1", "first_set_equipment", "400000", insured="10000000")
    book.policy("i2", "software_first_version", "150000", product="工业软件")
    book.policy("i3", "project_cost_loss", "90000", project_id="P2")
    yield con
    con.close()


def cost(con, parameter, value) -> D:
    policy = budget.with_value(load_policy(), parameter, value)
    return sum(subsidy_table(con, 2025, scope=REGULATOR, policy=policy)["subsidy"], D(0))


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(data=st.data(), parameter=st.sampled_from(sorted(RISING | FALLING)))
def test_cost_is_monotone_in_every_share_and_cap(market, data, parameter):
    lo, hi = (RISING | FALLING)[parameter]
    step = D("0.001") if hi <= 1 else D("1")
    units = int((hi - lo) / step)
    a, b = sorted(data.draw(st.tuples(st.integers(0, units), st.integers(0, units))))
    low, high = lo + a * step, lo + b * step
    if parameter in RISING:
        assert cost(market, parameter, low) <= cost(market, parameter, high)
    else:
        assert cost(market, parameter, low) >= cost(market, parameter, high)


def test_every_changeable_parameter_is_tested_for_monotony():
    assert set(budget.PARAMETERS) - {"queue.city_share"} == set(RISING) | set(FALLING)


def test_a_variant_s_file_reads_back_as_the_same_variant():
    variant = budget.load_variant('[caps]\nloan = 7_000_000\n[budget]\namount = 5_000_000\npriority = "paid_on"\n')
    again = budget.load_variant(variant.text)
    assert (again.policy.sha256, again.budget, again.priority) == (variant.policy.sha256, D("5000000.00"), "paid_on")


def test_the_pages_summary_by_hand(ledger):
    """The partial variant above with a budget of 260,000: the loan claim (400,000) gets 260,000,
    140,000 and the guarantee's 32,000 wait; +50,000 on the loan, +12,000 on the guarantee."""
    two_loans(ledger)
    variant = budget.load_variant("[interest]\nloan_rate_share = 0.6\nrate_points = 0.025\n"
                                  "[caps]\nloan = 400_000\n[guarantee]\nshare = 0.8\n[budget]\namount = 260_000\n")
    summary = budget.summarise(budget.simulation(ledger.con, 2025, variant))
    assert (summary.totals["variant"], summary.totals["paid"], summary.totals["waiting"]) == (
        D("432000.00"), D("260000.00"), D("172000.00"))
    assert summary.by_kind.set_index("kind")["change"].to_dict() == {"loan": D("50000.00"), "guarantee": D("12000.00")}
    # the loan counts in full for both lenders; the guarantee reward for its guarantor (the fixture's G1)
    assert summary.by_institution.set_index("inst_id")["variant"].to_dict() == {
        "B1": D("400000.00"), "B2": D("400000.00"), "G1": D("32000.00")}
    assert summary.changed == {"projects": 1, "enterprises": 1, "rows_up": 2, "rows_down": 0}
    assert summary.waiting["kind"].tolist() == ["loan", "guarantee"] and summary.waiting_rows == 2
    gain, loss = summary.movers["project_id"]
    assert gain["change"].tolist() == [D("62000.00")] and loss.empty


def test_summaries_put_the_largest_change_first_then_the_largest_subsidy():
    table = pd.DataFrame({"district_code": ["A", "B", "C", "D"],
                          "baseline": [D("10.00"), D("30.00"), D("20.00"), D("5.00")],
                          "variant": [D("10.00"), D("30.00"), D("20.00"), D("1.00")],
                          "paid": [D("0")] * 4, "waiting": [D("0")] * 4})
    table["change"] = table["variant"] - table["baseline"]
    # D lost 4.00: first; the unchanged rest by their subsidy, so a variant that changes nothing lists the largest
    assert budget.by(table, "district_code")["district_code"].tolist() == ["D", "B", "C", "A"]


@given(st.lists(st.tuples(st.sampled_from(["A", "B", None]), st.sampled_from(["B1", "B1;B2", "B2;G1"]),
                          st.integers(-10**14, 10**14), st.integers(-10**14, 10**14)), min_size=1, max_size=30))
def test_group_sums_are_python_s_exact_sums(rows):
    """`by` and `movers` sum in Arrow decimals: the same Decimal yuan as summing each group in
    Python, missing keys left out and a project financed by several institutions counted for each."""
    table = pd.DataFrame({"project_id": [k for k, *_ in rows], "inst_ids": [i for _, i, *_ in rows],
                          "baseline": [D(b).scaleb(-2) for *_, b, _ in rows],
                          "variant": [D(v).scaleb(-2) for *_, v in rows]})
    table = table.assign(change=table["variant"] - table["baseline"], paid=table["variant"],
                         waiting=table["variant"] - table["variant"], district_code=table["project_id"])
    expected = {}
    for project, inst_ids, change in zip(table["project_id"], table["inst_ids"], table["change"]):
        for inst_id in inst_ids.split(";"):
            expected[inst_id] = expected.get(inst_id, D("0.00")) + change
    assert budget.by(table, "inst_id").set_index("inst_id")["change"].to_dict() == expected
    summed = {p: sum(table.loc[table["project_id"] == p, "change"], D("0.00")) for p in ("A", "B")
              if (table["project_id"] == p).any()}
    assert budget.by(table, "district_code").set_index("district_code")["change"].to_dict() == summed
    gain, loss = budget.movers(table)
    assert {**gain.set_index("project_id")["change"].to_dict(), **loss.set_index("project_id")["change"].to_dict()} == {
        p: c for p, c in summed.items() if c != 0}
