"""Accounts and deployment (issue 8 items 10, 11, 13): sign-in throttling with back-off,
lockout and bounded argon2 concurrency, the login audit the regulator sees, the idle
timeout, and the app failing closed on a missing database with a plain demo notice."""

from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import bootstrap, auth, db

APP = Path(__file__).resolve().parent.parent / "app.py"
POLICY = auth.LoginPolicy(free_failures=2, base_delay=2, max_delay=60, lockout_failures=5, window=600, lockout=900,
                          client_factor=3, verify_slots=2, verify_wait=0.2)


def test_an_account_backs_off_then_locks():
    throttle = auth.Throttle(POLICY)
    waits = []
    for n in range(5):
        waits.append(throttle.wait("bank", "10.0.0.1", now=100.0 + n))
        throttle.failed("bank", "10.0.0.1", now=100.0 + n)
    assert waits == [0, 0, 0, 2 - 1, 4 - 1], "two free failures, then 2 s doubling from the last failure"
    assert throttle.wait("bank", "10.0.0.2", now=104.0) == pytest.approx(900), "five failures lock for 15 minutes"
    assert throttle.wait("BANK ", "10.0.0.3", now=104.0 + 899) == pytest.approx(1), "whatever the client or case"
    assert throttle.wait("bank", "10.0.0.2", now=104.0 + 901) == 0, "the lockout ends"


def test_a_client_trying_many_accounts_is_slowed_too():
    throttle = auth.Throttle(POLICY)
    for n in range(7):  # one failure on each of seven accounts: no account is slowed
        throttle.failed(f"user{n}", "10.9.9.9", now=float(n))
    assert throttle.wait("user0", "10.0.0.1", now=7.0) == 0
    assert throttle.wait("someone-else", "10.9.9.9", now=7.0) == pytest.approx(2 - 1), "the client is: 7 > 2 × 3"


def test_success_clears_the_account_not_the_client():
    throttle = auth.Throttle(POLICY)
    for n in range(3):
        throttle.failed("bank", "c", now=float(n))
    throttle.succeeded("bank")
    assert throttle.wait("bank", "other", now=3.0) == 0
    assert throttle._failures[("client", "c")]


@pytest.fixture()
def con(empty_con):
    auth.add_user(empty_con, "reg", "right-password", "regulator")
    return empty_con


def outcomes(con):
    return [r[0] for r in con.execute("select outcome from login_events order by event_id").fetchall()]


def test_attempts_are_throttled_without_an_argon2_check_and_all_are_recorded(con, monkeypatch):
    throttle = auth.Throttle(POLICY)
    results = [auth.attempt(con, "reg", "wrong", "10.0.0.1", throttle) for _ in range(4)]
    assert [r.message for r in results[:3]] == ["用户名或密码错误。"] * 3, "two free failures, then the third"
    assert re.fullmatch(r"登录失败次数过多，请 [12] 秒后再试。", results[3].message)
    checks = []
    monkeypatch.setattr(auth, "sign_in", lambda *a: checks.append(a))
    refused = auth.attempt(con, "reg", "right-password", "10.0.0.1", throttle)
    assert refused.account is None and checks == [], "a throttled attempt costs no argon2 check"
    assert outcomes(con) == ["failure"] * 3 + ["throttled"] * 2
    assert con.execute("select distinct username, client from login_events").fetchall() == [("reg", "10.0.0.1")]


def test_success_is_recorded_with_the_account(con):
    result = auth.attempt(con, " reg", "right-password", "10.0.0.1", auth.Throttle(POLICY))
    assert result.account is not None and result.message is None
    assert con.execute("select username, outcome from login_events").fetchall() == [("reg", "success")]


def test_argon2_checks_are_bounded_and_overflow_is_refused_as_busy(con, monkeypatch):
    """Each check costs 64 MiB: at most `verify_slots` run at once, the rest wait briefly and are refused."""
    running, peak, lock = [0], [0], threading.Lock()
    real = auth.sign_in

    def slow_sign_in(*args):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.5)
        with lock:
            running[0] -= 1
        return real(*args)

    monkeypatch.setattr(auth, "sign_in", slow_sign_in)
    throttle = auth.Throttle(POLICY)
    results = []
    threads = [threading.Thread(target=lambda n=n: results.append(
        auth.attempt(con.cursor(), "reg", "right-password", f"10.0.0.{n}", throttle))) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert peak[0] == 2
    assert sum(r.account is not None for r in results) == 2
    assert sum(r.message == "当前登录请求较多，请稍后再试。" for r in results) == 4
    assert sorted(outcomes(con)) == ["busy"] * 4 + ["success"] * 2


def test_the_policy_is_a_setting(monkeypatch):
    monkeypatch.setenv("JIGAI_LOGIN_LOCKOUT", "1800")
    monkeypatch.setenv("JIGAI_LOGIN_FREE_FAILURES", "5")
    monkeypatch.setenv("JIGAI_LOGIN_VERIFY_SLOTS", "many")  # not a number: the default stays
    policy = auth.LoginPolicy.from_env()
    assert (policy.lockout, policy.free_failures, policy.verify_slots) == (1800.0, 5, 2)


# --- the app ------------------------------------------------------------------------------

@pytest.fixture()
def demo_copy(demo_path, tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, path)
    monkeypatch.setenv(db.DB_ENV, str(path))
    return path


def login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


@pytest.mark.slow  # page renders (AppTest)
def test_the_app_locks_an_account_after_repeated_failures_and_the_regulator_sees_it(demo_copy, monkeypatch):
    monkeypatch.setenv("JIGAI_LOGIN_FREE_FAILURES", "1")
    monkeypatch.setenv("JIGAI_LOGIN_LOCKOUT_FAILURES", "2")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert [e.value for e in login(at, "bank", "guess-1").error] == ["用户名或密码错误。"]
    assert [e.value for e in login(at, "bank", "guess-2").error] == ["用户名或密码错误。"]
    locked = [e.value for e in login(at, "bank", "demo-bank").error]
    assert len(locked) == 1 and locked[0].startswith("登录失败次数过多"), "even the right password waits"
    assert "我的“3个1”限时办结" not in [t.value for t in at.title]

    at = AppTest.from_file(str(APP), default_timeout=60).run()
    login(at, "regulator", "demo-regulator")
    at.switch_page("pages/security.py").run()
    assert not at.exception
    events = at.dataframe[1].value
    assert list(events["结果"])[:4] == ["成功", "因失败过多被拒", "密码错误或无此用户", "密码错误或无此用户"]
    [b for b in at.button if b.label == "核验审计链"][0].click().run()
    assert any("登录审计 login_events：完整" in s.value for s in at.success)


@pytest.mark.slow  # page renders (AppTest)
def test_an_idle_session_is_signed_out(demo_copy, monkeypatch):
    con = bootstrap.connect(demo_copy)
    bank = auth.account(con, "bank")
    con.close()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["account"] = bank
    at.run()
    assert "我的“3个1”限时办结" in [t.value for t in at.title]
    at.session_state["last_active"] = time.time() - 29 * 60
    at.run()
    assert "我的“3个1”限时办结" in [t.value for t in at.title], "29 minutes idle: still signed in"
    at.session_state["last_active"] = time.time() - 31 * 60
    at.run()
    assert [t.value for t in at.title] == ["技改专项贷赛马评价平台"]
    assert any("超过 30 分钟未操作，已自动退出" in i.value for i in at.info)
    monkeypatch.setenv("JIGAI_IDLE_MINUTES", "0")  # the setting switches it off
    at.session_state["account"] = bank
    at.session_state["last_active"] = time.time() - 24 * 3600
    at.run()
    assert "我的“3个1”限时办结" in [t.value for t in at.title]


@pytest.mark.slow  # page renders (AppTest)
def test_the_login_page_says_plainly_that_the_demo_is_a_demo(demo_copy):
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert any("这是演示库" in w.value and "公开" in w.value for w in at.warning)


@pytest.mark.slow  # page renders (AppTest)
def test_a_real_database_has_no_demo_notice(tmp_path, monkeypatch):
    path = tmp_path / "real.duckdb"
    bootstrap.connect(path, demo_if_missing=False).close()
    monkeypatch.setenv(db.DB_ENV, str(path))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception and not at.warning
    assert [t.value for t in at.title] == ["技改专项贷赛马评价平台"]


@pytest.mark.slow  # page renders (AppTest)
def test_the_app_fails_closed_on_a_missing_database(tmp_path, monkeypatch):
    missing = tmp_path / "typo.duckdb"
    monkeypatch.setenv(db.DB_ENV, str(missing))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1 and "数据库文件不存在" in at.error[0].value
    assert not at.text_input, "no login form over a database that is not there"
    assert not missing.exists()
