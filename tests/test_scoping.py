"""Scoped data access: the functions the dashboard reads through, called with a bank's scope,
return that bank's rows only, and anonymous peer figures only as a median (R10, R7, R13).

The fixture is small enough to work every figure out by hand. March 2025 has no holiday,
so counting working days there is counting Monday–Friday (R9).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation_fixture import RELATIVE
from scoring import bootstrap, dashboard, sla, subsidy, whatif
from scoring.access import REGULATOR, Scope
from scoring.method import load_method
from scoring.policy import load_policy

POLICY = load_policy()  # the built-in policy file

BANK = Scope("institution", inst_id="B01")
LIANGJIANG = Scope("district", district_code="500191")
E1, E2 = "915000000000000001", "915000000000000002"  # E1 in 两江新区 500191, E2 in 渝北 500112
AS_OF = date(2025, 12, 31)
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))

FIXTURE = f"""
insert into institutions (inst_id, name, kind, local_legal_person) values
    ('B01', '甲银行重庆分行', 'bank', false), ('B02', '乙银行重庆分行', 'bank', false),
    ('B03', '丙农村商业银行', 'bank', true), ('L01', '丁金融租赁', 'leasing', true);
insert into enterprises values
    ('{E1}', '重庆一号精密制造有限公司', '500191', 'small', 'private', true, false, null),
    ('{E2}', '重庆二号汽车零部件有限公司', '500112', 'medium', 'private', true, false, null);
insert into projects (project_id, ent_id, district_code, filing_no, filed_on, pooled_on, total_investment) values
    ('P1', '{E1}', '500191', 'F1', '2024-06-20', '2024-07-01', 5000000),
    ('P2', '{E2}', '500112', 'F2', '2024-06-20', '2024-07-01', 8000000);
-- "3个1" (R10), registered Mon 2025-03-03 each:
--   A1 B01: connected 03-04 (deadline 03-04 met), approved 03-11 (03-04 + 5 wd = 03-11 met),
--           disbursed 03-18 (03-11 + 5 wd = 03-18 met)                       → 3 of 3 met
--   A2 B02: connected 03-05 (breached), approved 03-12 (03-05 + 5 wd = 03-12 met),
--           disbursed 03-19 (met)                                             → 2 of 3
--   A3 B03: connected 03-05 (breached), approved 03-13 (deadline 03-12: breached),
--           disbursed 03-20 (03-13 + 5 wd = 03-20 met)                        → 1 of 3
--   A4 L01: like A1                                                           → 3 of 3
insert into applications (app_id, ent_id, project_id, inst_id, registered_on, connected_on, decision,
                          decided_on, disbursed_on) values
    ('A1', '{E1}', 'P1', 'B01', '2025-03-03', '2025-03-04', 'approved', '2025-03-11', '2025-03-18'),
    ('A2', '{E2}', 'P2', 'B02', '2025-03-03', '2025-03-05', 'approved', '2025-03-12', '2025-03-19'),
    ('A3', '{E1}', 'P1', 'B03', '2025-03-03', '2025-03-05', 'approved', '2025-03-13', '2025-03-20'),
    ('A4', '{E2}', 'P2', 'L01', '2025-03-03', '2025-03-04', 'approved', '2025-03-11', '2025-03-18');
insert into loans (loan_id, inst_id, ent_id, project_id, app_id, kind, amount, rate, lpr, signed_on,
                   disbursed_on) values
    ('K1', 'B01', '{E1}', 'P1', 'A1', 'loan', 1000000.00, 0.029, 0.031, '2025-03-17', '2025-03-18'),
    ('K2', 'B02', '{E2}', 'P2', 'A2', 'loan', 3000000.00, 0.030, 0.031, '2025-03-18', '2025-03-19'),
    ('K3', 'B03', '{E1}', 'P1', 'A3', 'loan', 500000.50, 0.028, 0.030, '2025-05-19', '2025-05-20'),
    ('K4', 'L01', '{E2}', 'P2', 'A4', 'lease_direct', 2000000.00, 0.050, 0.031, '2025-03-17', '2025-03-20'),
    ('K5', 'B01', '{E2}', 'P2', null, 'loan', 2000000.00, 0.031, 0.031, '2024-11-04', '2024-11-05');
insert into interest_payments values
    ('I1', 'K1', '2025-03-18', '2025-06-20', '2025-06-21', 7250.00),
    ('I2', 'K2', '2025-03-19', '2025-06-20', '2025-06-20', 22500.00),
    ('I3', 'K4', '2025-03-20', '2025-06-20', '2025-06-20', 25000.00);
"""


@pytest.fixture(scope="module")
def con():
    connection = bootstrap.connect(":memory:", demo_if_missing=False)
    connection.execute(FIXTURE)
    yield connection
    connection.close()


def test_totals_of_a_bank_are_its_own_loans_only(con):
    # B01 lent K1 1,000,000.00 in 2025 (rate 2.9 %, LPR 3.1 %) and K5 2,000,000.00 in 2024.
    totals = dashboard.totals(con, 2025, BANK)
    assert totals["amount"] == Decimal("1000000.00")
    assert (totals["loans"], totals["enterprises"]) == (1, 1)
    assert totals["amount_before"] == Decimal("2000000.00")
    assert totals["mean_rate"] == pytest.approx(0.029) and totals["mean_lpr"] == pytest.approx(0.031)


def test_totals_of_the_regulator_and_of_a_district(con):
    # 2025: 1,000,000 + 3,000,000 + 500,000.50 + 2,000,000 = 6,500,000.50 over 4 loans, 2 firms.
    totals = dashboard.totals(con, 2025, REGULATOR)
    assert totals["amount"] == Decimal("6500000.50") and totals["loans"] == 4 and totals["enterprises"] == 2
    # 两江新区 is E1's district: K1 1,000,000 + K3 500,000.50; weighted rate
    # (1,000,000 × 2.9 % + 500,000.50 × 2.8 %) / 1,500,000.50 = 2.8666…%.
    district = dashboard.totals(con, 2025, LIANGJIANG)
    assert district["amount"] == Decimal("1500000.50") and district["loans"] == 2
    assert district["mean_rate"] == pytest.approx((1_000_000 * 0.029 + 500_000.5 * 0.028) / 1_500_000.5)


def test_monthly_series_has_every_month_and_only_the_scope(con):
    monthly = dashboard.monthly(con, 2025, BANK)
    assert len(monthly) == 12
    assert monthly["amount"].sum() == Decimal("1000000.00")
    assert monthly["cumulative_amount"].iloc[-1] == Decimal("1000000.00")
    assert monthly.loc[monthly["month"].dt.month == 3, "amount"].item() == Decimal("1000000.00")


def test_the_volume_race_of_a_bank_holds_no_other_institution(con):
    race = dashboard.cumulative_by_institution(con, 2025, BANK)
    assert set(race["inst_id"]) == {"B01"} and set(race["name"]) == {"甲银行重庆分行"}
    assert len(race) == 12


def test_the_volume_race_places_institutions_by_cumulative_amount(con):
    race = dashboard.cumulative_by_institution(con, 2025, REGULATOR)
    may = race[race["month"].dt.month == 5].set_index("inst_id")
    # banks by end of May: B02 3,000,000 > B01 1,000,000 > B03 500,000.50; L01 alone in its group
    assert may.loc[["B02", "B01", "B03", "L01"], "race_position"].tolist() == [1, 2, 3, 1]
    # January: nobody has lent yet, ties broken by inst_id
    january = race[race["month"].dt.month == 1].set_index("inst_id")
    assert january.loc[["B01", "B02", "B03"], "race_position"].tolist() == [1, 2, 3]


def test_institution_lists_follow_the_scope(con):
    assert dashboard.institutions(con, BANK)["inst_id"].tolist() == ["B01"]
    # firms of 两江新区 (E1) were served by B01 (A1, K1) and B03 (A3, K3)
    assert dashboard.institutions(con, LIANGJIANG)["inst_id"].tolist() == ["B01", "B03"]
    assert dashboard.institutions(con, REGULATOR)["inst_id"].tolist() == ["B01", "B02", "B03", "L01"]


def test_a_district_s_volume_race_runs_the_institutions_it_may_name(con):
    """The race and the institution list read one view (scoped_roster): a district official's race
    holds those that lent to or served its firms, not every bank in the city."""
    race = dashboard.cumulative_by_institution(con, 2025, LIANGJIANG)
    assert sorted(set(race["inst_id"])) == ["B01", "B03"]


def test_peer_compliance_is_only_the_median_of_the_peer_group(con):
    # banks in March 2025: B01 3/3, B02 2/3, B03 1/3 → median 2/3 (L01, a leasing company, is not a peer)
    peers = dashboard.peer_compliance(con, AS_OF, YEAR_2025, BANK)
    assert list(peers.columns) == ["month", "median_rate"]
    assert peers["month"].tolist() == ["2025-03"]
    assert peers["median_rate"].item() == pytest.approx(2 / 3)


def test_peer_median_is_withheld_below_three_institutions(con):
    # the leasing group has one member: its "median" would be its own rate, so nothing is shown
    assert dashboard.peer_compliance(con, AS_OF, YEAR_2025, Scope("institution", inst_id="L01")).empty


def test_engine_reads_used_by_bank_pages_stay_in_scope(con):
    assert set(sla.stage_table(con, AS_OF, BANK)["inst_id"]) == {"B01"}
    assert set(sla.compliance(con, AS_OF, by=("inst_id",), period=YEAR_2025, scope=BANK)["inst_id"]) == {"B01"}
    lists = sla.at_risk_and_breached(con, date(2025, 3, 4), BANK)
    assert set(lists.due["inst_id"]) <= {"B01"} and set(lists.overdue["inst_id"]) <= {"B01"}
    assert set(subsidy.payment_queue(con, 2025, scope=BANK, policy=POLICY)["inst_id"]) == {"B01"}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.sampled_from([2024, 2025]))
def test_institution_scopes_partition_the_regulators_totals(con, year):
    """Summing every institution's own view gives the regulator's view: no row is lost or shared."""
    inst_ids = ["B01", "B02", "B03", "L01"]
    parts = [dashboard.totals(con, year, Scope("institution", inst_id=i)) for i in inst_ids]
    whole = dashboard.totals(con, year, REGULATOR)
    assert sum(p["amount"] for p in parts) == whole["amount"]
    assert sum(p["loans"] for p in parts) == whole["loans"]
    for inst_id in inst_ids:
        race = dashboard.cumulative_by_institution(con, year, Scope("institution", inst_id=inst_id))
        assert set(race["inst_id"]) == {inst_id}


# -- what-if scoring (R12, R13) through the engine's own functions --------------------------

def synthetic_institutions(values: dict[str, list[float]]) -> pd.DataFrame:
    """An evaluation-shaped table of scored, eligible banks with the given raw indicators."""
    n = len(next(iter(values.values())))
    frame = pd.DataFrame({f"{k}_raw": v for k, v in values.items()})
    return frame.assign(inst_id=[f"B{i + 1:02d}" for i in range(n)], name=[f"银行{i + 1}" for i in range(n)],
                        peer_group="bank", status="scored", eligible=True, deduction=0.0)


BANK_IDS = [ind.id for ind in load_method().indicators_for("bank")]


def test_what_if_with_only_volume_weighted_scores_by_ratio_to_best():
    # V1 ratio to best: 100/100, 50/100, 25/100 → 100, 50, 25 points; one bank reaches the line
    # of 60, k is clamped up to 3 and the group has 3 members, so all three are selected (R13).
    raw = {i: [1.0, 1.0, 1.0] for i in BANK_IDS} | {"V1": [100.0, 50.0, 25.0]}
    result = whatif.what_if(synthetic_institutions(raw), load_method(RELATIVE), "bank", {"V1": 12.0})
    assert result["score"].tolist() == [100.0, 50.0, 25.0]
    assert result["rank"].tolist() == [1, 2, 3]
    assert result["selected"].tolist() == [True, True, True]


def test_with_weights_leaves_out_a_zero_weight_and_refuses_all_zero():
    method = load_method()
    scenario = whatif.with_weights(method, "bank", {"V1": 1.0, "S1": 3.0})
    assert scenario.weights("bank").to_dict() == {"V1": 0.25, "S1": 0.75}
    assert scenario.weights("leasing").equals(method.weights("leasing"))  # the other group is untouched
    with pytest.raises(ValueError, match="至少需要一个权重大于0的指标"):
        whatif.with_weights(method, "bank", {"V1": 0.0})


@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.lists(st.floats(0, 1000, allow_nan=False), min_size=len(BANK_IDS), max_size=len(BANK_IDS)),
                       min_size=3, max_size=8),
       factor=st.floats(0.1, 10))
def test_what_if_is_unchanged_when_every_weight_is_scaled(values, factor):
    """Weights are shares: multiplying them all by one factor changes no score or rank (R12)."""
    institutions = synthetic_institutions({i: [row[k] for row in values] for k, i in enumerate(BANK_IDS)})
    method = load_method()
    weights = method.weights("bank").to_dict()
    base = whatif.what_if(institutions, method, "bank", weights)
    scaled = whatif.what_if(institutions, method, "bank", {k: w * factor for k, w in weights.items()})
    assert scaled["score"].tolist() == pytest.approx(base["score"].tolist(), abs=0.011)  # published at 0.01
    assert scaled["rank"].tolist() == base["rank"].tolist()
    assert scaled["selected"].tolist() == base["selected"].tolist()
