"""Accounts of the dashboard: who a user is and which scope of rows they may see.

Passwords are stored only as argon2id hashes (argon2-cffi). A signed-in user is
reduced to a `scoring.access.Scope`; every data function filters on that scope in
SQL, so the login decides what a page can ever read.

When the deployment configures OIDC (`[auth]` in `.streamlit/secrets.toml`), the
identity provider checks the password and this module only maps the e-mail address
to a role through the same `users` table (`account_for_email`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from scoring.access import Scope

HASHER = PasswordHasher()  # argon2id with the library's RFC 9106 defaults
MIN_PASSWORD_LENGTH = 8

# (username, password, role, institution kind or None, district code or None, display name or None)
DEMO_USERS = (
    ("regulator", "demo-regulator", "regulator", None, None, "市经济信息委（演示）"),
    ("district", "demo-district", "district", None, "500191", None),
    ("bank", "demo-bank", "institution", "bank", None, None),
    ("leasing", "demo-leasing", "institution", "leasing", None, None),
)


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    scope: Scope


def add_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    role: str,
    inst_id: str | None = None,
    district_code: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
) -> Account:
    """Create the user, or reset an existing one (new password, role and scope)."""
    username = (username or "").strip()
    if not username:
        raise ValueError("用户名不能为空")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValueError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符")
    scope = Scope(role, inst_id or None, district_code or None)
    name = display_name or _scope_name(con, scope)
    con.execute(
        """
        insert or replace into users (username, password_hash, role, inst_id, district_code, display_name, email)
        values ($username, $hash, $role, $inst, $district, $name, $email)
        """,
        {"username": username, "hash": HASHER.hash(password), "role": role, "inst": scope.inst_id,
         "district": scope.district_code, "name": name, "email": (email or "").strip().lower() or None},
    )
    return Account(username, name, scope)


def _scope_name(con: duckdb.DuckDBPyConnection, scope: Scope) -> str:
    """The name a user of this scope is shown under; refuses an unknown institution or district."""
    if scope.role == "regulator":
        return "监管用户"
    if scope.role == "institution":
        row = _one(con, "select name from institutions where inst_id = $id", id=scope.inst_id)
        if row is None:
            raise ValueError(f"机构编号不存在：{scope.inst_id}")
        return row[0]
    row = _one(con, "select name from districts where district_code = $code", code=scope.district_code)
    if row is None:
        raise ValueError(f"区县代码不存在：{scope.district_code}")
    return row[0]


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str) -> Scope | None:
    """The scope of a user whose password matches, else None."""
    account = sign_in(con, username, password)
    return account.scope if account else None


def sign_in(con: duckdb.DuckDBPyConnection, username: str, password: str) -> Account | None:
    """Check a password; the account on success. A stale hash is upgraded on the way."""
    row = _one(con, "select password_hash from users where username = $u", u=(username or "").strip())
    stored = row[0] if row and row[0] else None
    try:
        # an unknown name is checked against a dummy hash, so it costs as long as a wrong password
        HASHER.verify(stored or _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    if HASHER.check_needs_rehash(stored):
        con.execute("update users set password_hash = $h where username = $u",
                    {"h": HASHER.hash(password), "u": username.strip()})
    return account(con, username.strip())


@cache
def _dummy_hash() -> str:
    return HASHER.hash("no such user")


def account(con: duckdb.DuckDBPyConnection, username: str) -> Account | None:
    row = _one(con, "select username, display_name, role, inst_id, district_code from users where username = $u",
               u=username)
    return _account(row)


def account_for_email(con: duckdb.DuckDBPyConnection, email: str | None) -> Account | None:
    """The account an OIDC identity maps to (e-mail, case-insensitive), else None."""
    if not email:
        return None
    row = _one(con, "select username, display_name, role, inst_id, district_code from users "
                    "where email = $e order by username limit 1", e=email.strip().lower())
    return _account(row)


def _one(con: duckdb.DuckDBPyConnection, query: str, **params) -> tuple | None:
    """The first row or None; fetches everything so no result is left open on the connection."""
    rows = con.execute(query, params).fetchall()
    return rows[0] if rows else None


def _account(row) -> Account | None:
    if row is None:
        return None
    username, name, role, inst_id, district_code = row
    return Account(username, name, Scope(role, inst_id, district_code))


def add_demo_users(con: duckdb.DuckDBPyConnection) -> list[Account]:
    """The demo accounts: a regulator, the 两江新区 official, the first bank, the first leasing company."""
    accounts = []
    for username, password, role, kind, district, name in DEMO_USERS:
        inst_id = None
        if kind:
            inst_id = _one(con, "select min(inst_id) from institutions where kind = $k", k=kind)[0]
            if inst_id is None:
                continue  # a database without such an institution gets no such user
        accounts.append(add_user(con, username, password, role, inst_id, district, name))
    return accounts
