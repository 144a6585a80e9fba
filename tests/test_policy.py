"""The policy as data (R1–R11): the default file, its validation, the sentences written from
it, and the command line's `policy show` and `--policy FILE`."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from scoring import bootstrap, runs
from scoring.access import REGULATOR
from scoring.policy import DEFAULT_POLICY, PolicyError, load_policy, percent_words, points_words, yuan_words
from scoring.subsidy import payment_detail, subsidy_table
from test_subsidy import ENT, Ledger

POLICY = load_policy()  # the built-in policy file

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEXT = DEFAULT_POLICY.read_text(encoding="utf-8")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True, text=True, cwd=ROOT,
                          check=False)


def test_default_file_holds_the_notices_numbers():
    """POLICY.md R1–R10, number by number, read exactly (no binary float anywhere)."""
    p = load_policy()
    assert (p.start, p.end) == (date(2024, 6, 9), date(2027, 12, 31))  # 印发 2024-05-10, +30 days; 2024—2027
    assert p.min_investment == D("1000000")  # R1
    assert (p.loan_rate_share, p.lease_rate_share, p.rate_points) == (D("0.5"), D("1"), D("0.02"))  # R2, R3
    assert (p.loan_cap, p.lease_cap) == (D("10000000"), D("5000000"))  # R4
    assert (p.guarantee_fee_rate_max, p.guarantee_share, p.guarantee_cap) == (D("0.01"), D("0.5"), D("1000000"))
    assert (p.insurance_share, p.first_set_rate_max, p.first_set_cap) == (D("0.8"), D("0.03"), D("5000000"))
    assert p.software_cap == p.cost_loss_cap == D("1000000")  # R6
    assert p.city_share == D("1")  # R7: 市级 100% by default
    assert p.credit_line_max == D("30000000")  # R8
    assert (p.connect_working_days, p.week_working_days, p.week_calendar_days, p.at_risk_working_days) == (1, 5, 7, 1)
    assert all(isinstance(getattr(p, f.name), (str, int, date, D)) and not isinstance(getattr(p, f.name), float)
               for f in dataclasses.fields(p))
    assert p.text == DEFAULT_TEXT and p.sha256 == hashlib.sha256(DEFAULT_TEXT.encode("utf-8")).hexdigest()


def test_sources_agree(tmp_path):
    copy = tmp_path / "mine.toml"
    copy.write_text(DEFAULT_TEXT, encoding="utf-8")
    assert load_policy(copy) == load_policy(str(copy)) == load_policy(DEFAULT_TEXT) == load_policy()


@pytest.mark.parametrize("edits, keys", [
    ((("loan = 10_000_000", "loan = -5"),), ["caps.loan"]),
    ((("loan = 10_000_000", "loan = 10_000_000.001"),), ["caps.loan"]),  # not a whole fen
    ((("rate_points = 0.02", "rate_points = 0.0000001"),), ["interest.rate_points"]),  # beyond millionths
    ((("loan_rate_share = 0.5", "loan_rate_share = 1.5"),), ["interest.loan_rate_share"]),
    ((("city_share = 1", "city_share = -0.1"),), ["queue.city_share"]),
    ((("start = 2024-06-09", 'start = "2024-06-09"'),), ["period.start"]),  # a string, not a date
    ((("start = 2024-06-09", "start = 2028-01-01"),), ["period.end"]),  # the period runs backwards
    ((("connect_working_days = 1", "connect_working_days = 0"),), ["sla.connect_working_days"]),
    ((("cap = 1_000_000", "cap = true"),), ["guarantee.cap"]),
    ((("[queue]", "[queue]\nbudget = 5"),), ["queue.budget"]),  # unknown key
    ((("software_cap = 1_000_000", "# software_cap"),), ["insurance.software_cap"]),  # missing key
    ((("[relending]", "[relend]"),), ["relend", "relending"]),  # unknown section, and the real one is missing
])
def test_every_problem_is_named_by_its_key(edits, keys):
    text = DEFAULT_TEXT
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    with pytest.raises(PolicyError) as caught:
        load_policy(text)
    assert [p.split("：")[0] for p in caught.value.problems] == keys


def test_all_problems_at_once_and_in_chinese():
    text = DEFAULT_TEXT.replace("lease = 5_000_000", "lease = 0").replace("share = 0.8", 'share = "八成"')
    with pytest.raises(PolicyError) as caught:
        load_policy(text)
    assert len(caught.value.problems) == 2 and str(caught.value).startswith("政策参数文件有误")
    with pytest.raises(PolicyError, match="不是合法的 TOML"):
        load_policy("[caps\nloan = 1\n")
    with pytest.raises(PolicyError, match="找不到政策参数文件"):
        load_policy(Path("/nonexistent/policy.toml"))


@pytest.mark.parametrize("value, words", [
    (D("1000000"), "100万元"), (D("30000000"), "3000万元"), (D("10000000"), "1000万元"), (D("200000000"), "2亿元"),
    (D("1234.5"), "1234.5元"),
])
def test_amounts_read_as_the_notice_writes_them(value, words):
    assert yuan_words(value) == words


def test_rates_read_as_the_notice_writes_them():
    assert (percent_words(D("0.5")), percent_words(D("0.035")), points_words(D("0.02"))) == ("50%", "3.5%", "2个百分点")


def test_sentences_follow_the_file():
    """Every number a user reads comes from the policy: change the file, the sentences change."""
    changed = load_policy(DEFAULT_TEXT.replace("min_investment = 1_000_000", "min_investment = 2_000_000")
                          .replace("loan = 10_000_000", "loan = 8_000_000")
                          .replace("credit_line_max = 30_000_000", "credit_line_max = 50_000_000")
                          .replace("fee_rate_max = 0.01", "fee_rate_max = 0.015")
                          .replace("connect_working_days = 1", "connect_working_days = 2"))
    labels = changed.reason_labels()
    assert labels["below_threshold"] == "项目投资额（不含土地）低于200万元"
    assert labels["fee_rate_above_1pct"] == "年化担保费率超过1.5%"
    assert "单户授信5000万元以下" in labels["borrower_not_eligible"]
    assert "封顶800万元、500万元" in changed.interest_summary()
    assert changed.stage_labels()["connect"] == "对接（2个工作日）"
    assert changed.time_limits("working") == "2个工作日对接、1周（5个工作日）完成方案设计和报批、1周完成贷款发放（R10）"
    assert "1周（7个自然日，届满日遇休息日顺延）完成" in changed.time_limits("calendar")
    assert load_policy().interest_summary() == ("贷款按实际利率的50%、最高2个百分点贴息，融资租赁贴息2个百分点，"
                                                "单个项目每年分别封顶1000万元、500万元")


def test_policy_show_prints_the_default_file():
    shown = cli("policy", "show")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == DEFAULT_TEXT


def _one_loan_db(path: Path) -> None:
    """A 3 % loan paying 300,000 interest: subsidy 150,000 under R2, below the 10 M cap of R4."""
    con = bootstrap.connect(path, demo_if_missing=False)
    book = Ledger(con)
    book.institution("B1")
    book.enterprise()
    book.project()
    book.loan("L")
    book.payment("p", "L", date(2025, 6, 20), "300000")
    con.close()


@pytest.mark.slow  # end to end: the command line in subprocesses
def test_r4_a_copied_policy_file_with_a_lower_loan_cap_changes_the_output(tmp_path):
    """Copy the policy, lower the R4 loan cap to 120,000 yuan: the CLI's table shows the new cap."""
    path = tmp_path / "small.duckdb"
    _one_loan_db(path)
    mine = tmp_path / "policy.toml"
    mine.write_text(cli("policy", "show").stdout.replace("loan = 10_000_000", "loan = 120_000"), encoding="utf-8")
    rows = {}
    for name, extra in (("default", []), ("mine", ["--policy", str(mine)])):
        out = tmp_path / f"{name}.csv"
        done = cli("subsidy", "--db", str(path), "--year", "2025", "--out", str(out), *extra)
        assert done.returncode == 0, done.stderr
        with out.open(encoding="utf-8-sig") as f:
            rows[name] = list(csv.DictReader(f))
    assert [(r["uncapped"], r["subsidy"], r["capped"]) for r in rows["default"]] == [("150000.00", "150000.00", "False")]
    assert [(r["uncapped"], r["subsidy"], r["capped"]) for r in rows["mine"]] == [("150000.00", "120000.00", "True")]
    con = bootstrap.connect(path, demo_if_missing=False)
    stored = con.execute("select year, policy_sha256, policy_text, subsidy from subsidy_runs order by run_id").fetchall()
    con.close()
    mine_text = mine.read_text(encoding="utf-8")
    assert stored == [(2025, load_policy().sha256, DEFAULT_TEXT, D("150000.00")),
                      (2025, hashlib.sha256(mine_text.encode("utf-8")).hexdigest(), mine_text, D("120000.00"))]


@pytest.mark.slow  # end to end: the command line in subprocesses
def test_a_bad_policy_file_is_refused_in_chinese_naming_the_key(tmp_path):
    path = tmp_path / "small.duckdb"
    _one_loan_db(path)
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFAULT_TEXT.replace("loan = 10_000_000", "loan = \"一千万\""), encoding="utf-8")
    for command in (["subsidy", "--year", "2025", "--out", str(tmp_path / "x.csv")],
                    ["sla", "--as-of", "2025-12-31", "--out", str(tmp_path / "y.csv")],
                    ["evaluate", "--year", "2025", "--out", str(tmp_path / "z")]):
        done = cli(*command, "--db", str(path), "--policy", str(bad))
        assert done.returncode == 1 and "caps.loan" in done.stderr and "Traceback" not in done.stderr


def test_r10_time_limits_come_from_the_policy(tmp_path):
    """Connect within 1 working day by default; a policy of 3 working days judges the same late
    connection as met."""
    from scoring.sla import stage_table

    con = bootstrap.connect(":memory:", demo_if_missing=False)
    book = Ledger(con)
    book.institution("B1")
    book.enterprise()
    con.execute("insert into applications (app_id, inst_id, ent_id, registered_on, connected_on) "
                "values ('A1', 'B1', $ent, date '2025-06-02', date '2025-06-04')", {"ent": ENT})
    default = stage_table(con, date(2025, 6, 30), REGULATOR)
    slower = stage_table(con, date(2025, 6, 30),
                         policy=load_policy(DEFAULT_TEXT.replace("connect_working_days = 1", "connect_working_days = 3")), scope=REGULATOR)
    con.close()
    connect = {name: t.set_index("stage").loc["connect"] for name, t in (("default", default), ("slower", slower))}
    assert connect["default"]["status"] == "breached" and connect["slower"]["status"] == "met"
    assert str(connect["default"]["deadline"])[:10] == "2025-06-03"  # Mon 2 June + 1 working day
    assert str(connect["slower"]["deadline"])[:10] == "2025-06-05"  # + 3 working days


def test_an_evaluation_run_keeps_its_policy():
    import evaluation_fixture as fx

    con = fx.build()
    policy = load_policy(DEFAULT_TEXT.replace("week_working_days = 5", "week_working_days = 6"))
    run = runs.evaluate_and_store(con, fx.YEAR, draws=0, policy_text=policy.text)
    con.close()
    assert run.policy == policy and (run.policy.text, run.policy.sha256) == (policy.text, policy.sha256)


def test_subsidy_functions_take_the_policy(tmp_path):
    path = tmp_path / "small.duckdb"
    _one_loan_db(path)
    con = bootstrap.connect(path, demo_if_missing=False)
    capped = dataclasses.replace(load_policy(), loan_cap=D("100000"))
    assert subsidy_table(con, 2025, policy=capped, scope=REGULATOR)["subsidy"].tolist() == [D("100000.00")]
    assert payment_detail(con, 2025, policy=capped, scope=REGULATOR)["subsidy"].tolist() == [D("100000.00")]
    con.close()
