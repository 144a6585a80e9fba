"""Data-quality rules Q1–Q8 (scoring/quality.py, issue 11 §3): for each rule, hand-made rows that
break it and rows that do not; the score by hand; scoping; the method setting that turns findings
into the evaluation's deduction (off by default); the demo's sprinkling; the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pytest

from scoring import quality
from scoring.access import REGULATOR, Scope
from scoring.method import MethodError, load_method
from test_subsidy import OTHER_DISTRICT, OTHER_ENT, Ledger, ledger  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent


def found(con, year=2025, scope=REGULATOR, rule=None):
    frame = quality.findings(con, year, scope)
    return frame if rule is None else frame[frame["rule_id"] == rule]


def keys(con, rule, year=2025):
    return sorted(found(con, year, rule=rule)["key"])


def loan(book: Ledger, loan_id, rate="0.03", lpr="0.031", signed=date(2025, 3, 3), maturity=date(2028, 3, 3),
         inst_id="B1", kind="loan", amount="10000000", app_id=None, disbursed=None, ent_id=None):
    book.loan(loan_id, inst_id=inst_id, kind=kind, amount=D(amount), rate=D(rate), **({"ent_id": ent_id} if ent_id else {}))
    book.con.execute("update loans set lpr = ?, signed_on = ?, maturity_on = ?, app_id = ?, disbursed_on = ? "
                     "where loan_id = ?", [D(lpr), signed, maturity, app_id, disbursed, loan_id])


def application(book: Ledger, app_id, registered, connected, decided, decision="approved", inst_id="B1",
                disbursed=None):
    book.con.execute("insert into applications (app_id, ent_id, project_id, inst_id, registered_on, connected_on, "
                     "decision, decided_on, disbursed_on) values (?, '91500103MA5U000001', 'P1', ?, ?, ?, ?, ?, ?)",
                     [app_id, inst_id, registered, connected, decision, decided, disbursed])


# --- Q1 rate against the matching-tenor LPR ---------------------------------------------------


def test_q1_rates_and_reported_lpr(ledger):
    """LPR on 2025-03-03: 1-year 3.10 %, 5-year 3.60 % (published 2024-10-21). The reported LPR must be
    the tenor's; a bank rate 150 bp or more below it, or 400 bp above, is doubted."""
    loan(ledger, "OK1", rate="0.0290", lpr="0.0310")  # 20 bp below: fine
    loan(ledger, "OK2", rate="0.0330", lpr="0.0360", maturity=date(2032, 3, 3))  # 7-year loan, 5-year LPR
    loan(ledger, "OK3", rate="0.0165", lpr="0.0310")  # 145 bp below: within the band
    loan(ledger, "LOW", rate="0.0150", lpr="0.0310")  # 160 bp below
    loan(ledger, "HIGH", rate="0.0720", lpr="0.0310")  # 410 bp above
    loan(ledger, "TENOR", rate="0.0310", lpr="0.0310", maturity=date(2032, 3, 3))  # 7 years: should be 3.60 %
    loan(ledger, "LEASE", rate="0.0300", lpr="0.0310", kind="lease_direct", inst_id="F1")  # lease below LPR
    loan(ledger, "LEASE_OK", rate="0.0650", lpr="0.0310", kind="lease_direct", inst_id="F1")
    assert keys(ledger.con, "Q1") == ["HIGH", "LEASE", "LOW", "TENOR"]
    text = found(ledger.con, rule="Q1").set_index("key")["explanation"]
    assert "低于LPR 160 个基点" in text["LOW"] and "3.6%" in text["TENOR"]


# --- Q2 same-day bulk ---------------------------------------------------------------------------


def test_q2_same_day_in_bulk(ledger):
    day = date(2025, 4, 8)
    for i in range(3):  # three on one day: bulk
        application(ledger, f"S{i}", day, day, day)
    for i in range(2):  # two on another day: not bulk
        application(ledger, f"T{i}", day + timedelta(1), day + timedelta(1), day + timedelta(1))
    application(ledger, "N1", day, day, day + timedelta(1))  # decided the next day
    application(ledger, "OTHER", day, day, day, inst_id="B2")  # another bank's: its own count is 1
    assert keys(ledger.con, "Q2") == ["S0", "S1", "S2"]


# --- Q3 milestones out of order -----------------------------------------------------------------


def test_q3_milestones_out_of_order(ledger):
    application(ledger, "A1", date(2025, 3, 3), date(2025, 3, 4), date(2025, 3, 10), disbursed=date(2025, 3, 12))
    loan(ledger, "FINE", signed=date(2025, 3, 11), app_id="A1", disbursed=date(2025, 3, 12))
    loan(ledger, "EARLY", signed=date(2025, 3, 7), app_id="A1", disbursed=date(2025, 3, 12))  # signed before approval
    loan(ledger, "AFTER", signed=date(2025, 3, 5), app_id="A1", disbursed=date(2025, 3, 6))  # decided after disbursement
    application(ledger, "R1", date(2025, 3, 3), date(2025, 3, 4), date(2025, 3, 5), decision="rejected")
    loan(ledger, "REJECTED", signed=date(2025, 3, 6), app_id="R1")
    assert keys(ledger.con, "Q3") == ["AFTER", "EARLY", "REJECTED"]
    text = found(ledger.con, rule="Q3").set_index("key")["explanation"]
    assert "审批日 2025-03-10 晚于放款日 2025-03-06" in text["AFTER"]


# --- Q4 interest against amount × rate × period ------------------------------------------------


def test_q4_interest_against_terms(ledger):
    """10,000,000 at 3 % for 90 days (actual/360): at most 75,000; with 2 % tolerance and 1 yuan, 76,501."""
    loan(ledger, "L", signed=date(2025, 1, 2), disbursed=date(2025, 1, 2))
    for payment_id, interest in (("exact", "75000"), ("amortised", "40000"), ("edge", "76500"), ("over", "76502")):
        ledger.con.execute("insert into interest_payments values (?, 'L', '2025-01-01', '2025-03-31', '2025-04-01', ?)",
                           [payment_id, D(interest)])
    ledger.con.execute("insert into interest_payments values ('early', 'L', '2024-12-01', '2024-12-31', "
                       "'2025-01-05', 100)")  # a period before the loan was disbursed
    assert keys(ledger.con, "Q4") == ["early", "over"]


# --- Q5 reported late ---------------------------------------------------------------------------


def test_q5_reported_long_after_signing(ledger):
    loan(ledger, "ON_TIME")
    loan(ledger, "LATE")
    loan(ledger, "UNKNOWN")  # no arrival recorded: nothing to judge
    ledger.con.execute("insert into row_arrivals values ('loans', 'ON_TIME', '2025-05-02'), "
                       "('loans', 'LATE', '2025-05-03')")  # 60 and 61 days after 2025-03-03
    assert keys(ledger.con, "Q5") == ["LATE"]


def test_q5_the_importer_records_first_arrivals(tmp_path, empty_con):
    from scoring.importer import import_files

    empty_con.execute("insert into institutions values ('B01', '银行', 'bank', false, null, null)")
    path = tmp_path / "cases.csv"
    path.write_text("case_id,inst_id,title,year\nC1,B01,案例,2025\n", encoding="utf-8")
    assert import_files(empty_con, [path], user="t").ok
    first = empty_con.execute("select first_seen from row_arrivals where row_key = 'C1'").fetchall()
    assert first == [(date.today(),)]
    path.write_text("case_id,inst_id,title,year\nC1,B01,改过的案例,2025\n", encoding="utf-8")
    assert import_files(empty_con, [path], user="t").ok  # a replacement keeps the first arrival
    assert empty_con.execute("select count(*) from row_arrivals").fetchall() == [(1,)]


# --- Q6 near duplicates -------------------------------------------------------------------------


def test_q6_near_duplicate_loans_and_enterprises(ledger):
    loan(ledger, "A")
    loan(ledger, "B")  # same institution, enterprise, amount and day as A
    loan(ledger, "C", amount="10000001")  # one yuan more: a different loan
    loan(ledger, "D", inst_id="B2")  # another bank
    ledger.con.execute("update enterprises set name = '重庆精工机械有限公司'")
    ledger.enterprise(OTHER_ENT)  # same stem, brackets and spaces aside, same district
    ledger.con.execute(f"update enterprises set name = '重庆 精工（机械）股份有限公司' where ent_id = '{OTHER_ENT}'")
    ledger.project("P2", ent_id=OTHER_ENT)
    ledger.loan("E", project_id="P2", ent_id=OTHER_ENT)
    ledger.con.execute("update loans set signed_on = '2025-05-05' where loan_id = 'E'")
    assert keys(ledger.con, "Q6") == ["91500103MA5U000001", "91500103MA5U000002", "B"]
    ledger.con.execute(f"update enterprises set district_code = '{OTHER_DISTRICT}' where ent_id = '{OTHER_ENT}'")
    assert keys(ledger.con, "Q6") == ["B"]  # the namesake is in another district: two firms


# --- Q7 R8 re-lending ---------------------------------------------------------------------------


def test_q7_agri_small_relending_errors(ledger):
    """R8: agri-small re-lending from a non-local lender is a data error; from a local lender to a
    medium private firm with credit below 30 M it is not."""
    loan(ledger, "BAD")
    loan(ledger, "GOOD", inst_id="B2")
    ledger.con.execute("update institutions set local_legal_person = true where inst_id = 'B2'")
    ledger.con.execute("update loans set relending = 'agri_small', credit_line = 20000000")
    assert keys(ledger.con, "Q7") == ["BAD"]
    assert "不是地方法人" in found(ledger.con, rule="Q7")["explanation"].iloc[0]


# --- Q8 quarter-end spike -----------------------------------------------------------------------


def test_q8_quarter_end_spike(ledger):
    """Q1 2025: 5 loans of 10 M in the last 5 days (27–31 March) and 5 of 10 M before: 50 % ≥ 40 %.
    Q2: 4 loans at the end only (fewer than 5): not flagged."""
    for i in range(5):
        loan(ledger, f"END{i}", signed=date(2025, 3, 27 + i))
        loan(ledger, f"MID{i}", signed=date(2025, 2, 1 + i))
    for i in range(4):
        loan(ledger, f"JUN{i}", signed=date(2025, 6, 27 + i))
    assert keys(ledger.con, "Q8") == ["2025-Q1"]
    assert "占该季度签约金额的 50.0%" in found(ledger.con, rule="Q8")["explanation"].iloc[0]


# --- score, scope, method setting ----------------------------------------------------------------


def test_score_by_hand(ledger):
    """B1: 10 loans in 2025, 1 of them 160 bp below LPR (Q1: 10 % ≥ 5 % → −12.5) and 1 duplicate
    (Q6: 10 % → −12.5): 75.0. B2: 40 loans, 1 doubted by Q1: 2.5 % → −6.25: 93.8 (rounded)."""
    for i in range(10):
        loan(ledger, f"B1_{i}", amount=f"{1000000 + i}", signed=date(2025, 2, 1 + i))
    ledger.con.execute("update loans set rate = 0.015 where loan_id = 'B1_0'")
    ledger.con.execute("update loans set amount = 1000000, signed_on = '2025-02-01' where loan_id = 'B1_1'")
    for i in range(40):
        loan(ledger, f"B2_{i:02d}", inst_id="B2", amount=f"{2000000 + i}", signed=date(2025, 1, 2) + timedelta(i))
    ledger.con.execute("update loans set rate = 0.08 where loan_id = 'B2_00'")
    table = quality.scores(ledger.con, 2025, REGULATOR).set_index("inst_id")
    assert table.loc["B1", ["Q1", "Q6", "findings"]].tolist() == [1, 1, 2]
    assert table.loc["B1", "quality_score"] == 75.0
    assert table.loc["B2", "quality_score"] == 93.8
    assert table.loc["F1", "quality_score"] == 100.0  # nothing reported, nothing to doubt


def test_an_institution_sees_only_its_own_findings(ledger):
    loan(ledger, "MINE", rate="0.01", lpr="0.031")
    loan(ledger, "THEIRS", rate="0.01", lpr="0.031", inst_id="B2")
    mine = quality.findings(ledger.con, 2025, Scope("institution", inst_id="B1"))
    assert mine["key"].tolist() == ["MINE"] and set(mine["inst_id"]) == {"B1"}
    assert quality.scores(ledger.con, 2025, Scope("institution", inst_id="B1"))["inst_id"].tolist() == ["B1"]


def method_with(line: str):
    text = (ROOT / "scoring" / "methods" / "default.toml").read_text(encoding="utf-8")
    return load_method(text.replace("deduct = { data_quality = 1.0 }", "deduct = { data_quality = 1.0 }\n" + line, 1))


def test_the_method_setting_is_off_by_default_and_checked():
    assert load_method().flags.quality_deduct == 0.0
    assert method_with("quality_deduct = 0.2").flags.quality_deduct == 0.2
    with pytest.raises(MethodError, match="flags.quality_deduct"):
        method_with("quality_deduct = -1")
    with pytest.raises(MethodError, match="flags.quality_points"):
        method_with("quality_points = 1")


def test_findings_become_a_deduction_only_when_the_method_says_so():
    import evaluation_fixture
    from scoring.evaluation import evaluate

    con = evaluation_fixture.build()
    try:
        off = evaluate(con, 2025, draws=0).institutions.set_index("inst_id")
        loan_id = con.execute("select loan_id from loans where year(signed_on) = 2025 and kind = 'loan' "
                              "order by loan_id limit 1").fetchall()[0][0]
        inst = con.execute(f"select inst_id from loans where loan_id = '{loan_id}'").fetchall()[0][0]
        con.execute(f"update loans set rate = lpr + 0.05 where loan_id = '{loan_id}'")  # Q1: 500 bp above
        n = int((quality.findings(con, 2025, REGULATOR)["inst_id"] == inst).sum())
        assert n >= 1
        same = evaluate(con, 2025, draws=0).institutions.set_index("inst_id")
        on = evaluate(con, 2025, method_with("quality_deduct = 0.5\nquality_deduct_max = 1"), draws=0)
        on = on.institutions.set_index("inst_id")
        assert same.loc[inst, "deduction"] == off.loc[inst, "deduction"]
        assert on.loc[inst, "deduction"] == pytest.approx(same.loc[inst, "deduction"] + min(0.5 * n, 1.0))
    finally:
        con.close()


# --- the demo database and the command line -----------------------------------------------------


@pytest.mark.slow
def test_the_demo_has_a_sprinkling_of_problems(demo_path, tmp_path):
    """The demo's deliberate problems are on 2026 rows (the 2025 evaluation stays as it was); the
    command line writes one row per finding with the issue's columns."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, path)
    out = tmp_path / "quality.csv"
    result = subprocess.run([sys.executable, "-m", "scoring", "quality", "--db", str(path), "--year", "2026",
                             "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert {"inst_id", "rule_id", "table", "key", "explanation"} <= set(frame.columns)
    per_rule = frame.groupby("rule_id")["inst_id"].agg(set).to_dict()
    assert {"B09", "B18"} <= per_rule["Q1"] and per_rule["Q3"] == {"B15"} and "L04" in per_rule["Q4"]
    assert per_rule["Q5"] == {"B21", "L02"} and per_rule["Q6"] == {"B07"}
    assert 20 < len(frame) < 200  # a sprinkling, not a flood
