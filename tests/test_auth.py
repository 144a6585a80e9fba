"""Built-in accounts: argon2 hashes, sign-in to a scope, demo users, OIDC e-mail mapping.

The scope a user signs in to is what every data function filters on (POLICY.md R7, R10,
R13 pages for banks show only their own institution), so these tests pin it down.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import auth, bootstrap
from scoring.access import Scope

CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """Fast hashes keep the suite quick; one test below checks the production parameters."""
    monkeypatch.setattr(auth, "HASHER", CHEAP)


@pytest.fixture()
def con(empty_con):
    empty_con.execute("""
        insert into institutions (inst_id, name, kind) values
            ('B02', '乙银行重庆分行', 'bank'), ('B01', '甲银行重庆分行', 'bank'),
            ('L01', '丙融资租赁有限公司', 'leasing'), ('G01', '丁融资担保有限公司', 'guarantee')
    """)
    return empty_con


def test_sign_in_gives_the_scope_of_the_account(con):
    auth.add_user(con, "b1", "s3cret-pass", "institution", inst_id="B01")
    auth.add_user(con, "lj", "s3cret-pass", "district", district_code="500191")
    auth.add_user(con, "reg", "s3cret-pass", "regulator")
    assert auth.authenticate(con, "b1", "s3cret-pass") == Scope("institution", inst_id="B01")
    assert auth.authenticate(con, "lj", "s3cret-pass") == Scope("district", district_code="500191")
    assert auth.authenticate(con, "reg", "s3cret-pass") == Scope("regulator")


def test_display_name_defaults_to_the_institution_or_district_name(con):
    assert auth.add_user(con, "b1", "s3cret-pass", "institution", inst_id="B01").display_name == "甲银行重庆分行"
    assert auth.add_user(con, "lj", "s3cret-pass", "district", district_code="500191").display_name == "两江新区"
    assert auth.account(con, "b1").display_name == "甲银行重庆分行"


def test_wrong_password_or_unknown_user_is_refused(con):
    auth.add_user(con, "b1", "s3cret-pass", "institution", inst_id="B01")
    assert auth.authenticate(con, "b1", "S3cret-pass") is None
    assert auth.authenticate(con, "b1", "") is None
    assert auth.authenticate(con, "nobody", "s3cret-pass") is None


def test_only_an_argon2id_hash_with_production_cost_is_stored(con, monkeypatch):
    monkeypatch.setattr(auth, "HASHER", PasswordHasher())
    auth.add_user(con, "b1", "s3cret-pass", "institution", inst_id="B01")
    stored = con.execute("select password_hash from users where username = 'b1'").fetchone()[0]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # RFC 9106 low-memory profile
    assert "s3cret-pass" not in stored


def test_adding_again_resets_password_and_scope(con):
    auth.add_user(con, "u", "first-password", "institution", inst_id="B01")
    auth.add_user(con, "u", "second-password", "institution", inst_id="B02")
    assert auth.authenticate(con, "u", "first-password") is None
    assert auth.authenticate(con, "u", "second-password") == Scope("institution", inst_id="B02")
    assert con.execute("select count(*) from users").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("role", "inst_id", "district_code", "message"),
    [
        ("institution", None, None, "机构用户必须属于一个机构"),
        ("district", None, None, "区县用户必须属于一个区县"),
        ("regulator", "B01", None, "监管用户不限定机构或区县"),
        ("institution", "B99", None, "机构编号不存在"),
        ("district", None, "509999", "区县代码不存在"),
        ("admin", None, None, "未知角色"),
    ],
)
def test_inconsistent_accounts_are_refused_in_chinese(con, role, inst_id, district_code, message):
    with pytest.raises(ValueError, match=message):
        auth.add_user(con, "x", "s3cret-pass", role, inst_id=inst_id, district_code=district_code)
    assert con.execute("select count(*) from users").fetchone()[0] == 0


def test_short_password_and_empty_name_are_refused(con):
    with pytest.raises(ValueError, match="密码至少 8 个字符"):
        auth.add_user(con, "x", "short", "regulator")
    with pytest.raises(ValueError, match="用户名不能为空"):
        auth.add_user(con, "  ", "long-enough", "regulator")


def test_an_outdated_hash_is_upgraded_on_sign_in(con, monkeypatch):
    auth.add_user(con, "b1", "s3cret-pass", "institution", inst_id="B01")
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    assert auth.authenticate(con, "b1", "s3cret-pass") is not None
    stored = con.execute("select password_hash from users where username = 'b1'").fetchone()[0]
    assert "m=16,t=2,p=1" in stored


def test_oidc_identity_maps_to_its_account_by_email(con):
    auth.add_user(con, "b1", "s3cret-pass", "institution", inst_id="B01", email="Zhang.San@Bank.example")
    found = auth.account_for_email(con, "zhang.san@bank.example ")
    assert found.username == "b1" and found.scope == Scope("institution", inst_id="B01")
    assert auth.account_for_email(con, "someone@else.example") is None
    assert auth.account_for_email(con, None) is None


def test_demo_users_cover_every_role(con):
    accounts = {a.username: a for a in auth.add_demo_users(con)}
    assert accounts["regulator"].scope == Scope("regulator")
    assert accounts["district"].scope == Scope("district", district_code="500191")
    assert accounts["bank"].scope == Scope("institution", inst_id="B01")  # the first bank by id
    assert accounts["leasing"].scope == Scope("institution", inst_id="L01")
    for username, password, *_ in auth.DEMO_USERS:
        assert auth.authenticate(con, username, password) == accounts[username].scope


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=st.text(min_size=8, max_size=40), other=st.text(min_size=0, max_size=40))
def test_only_the_exact_password_signs_in(con, password, other):
    auth.add_user(con, "p", password, "regulator")
    assert auth.authenticate(con, "p", password) == Scope("regulator")
    assert (auth.authenticate(con, "p", other) is None) == (other != password)


@pytest.mark.slow  # end to end: the command line in a subprocess
def test_cli_user_add_creates_an_account_that_signs_in(tmp_path):
    path = tmp_path / "users.duckdb"
    con = bootstrap.connect(path, demo_if_missing=False)
    con.execute("insert into institutions (inst_id, name, kind) values ('B01', '甲银行重庆分行', 'bank')")
    con.close()
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "user", "add", "--db", str(path), "zhang", "--role", "institution",
         "--inst", "B01"],
        capture_output=True, text=True, check=False, input="s3cret-pass\n",
    )
    assert done.returncode == 0, done.stderr
    assert "已添加用户 zhang" in done.stdout
    con = bootstrap.connect(path, demo_if_missing=False)
    assert auth.authenticate(con, "zhang", "s3cret-pass") == Scope("institution", inst_id="B01")
    con.close()
