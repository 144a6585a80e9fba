"""Accounts of the dashboard: who a user is and which scope of rows they may see.

Passwords are stored only as argon2id hashes (argon2-cffi). A signed-in user is
reduced to a `scoring.access.Scope`; every data function filters on that scope in
SQL, so the login decides what a page can ever read.

When the deployment configures OIDC (`[auth]` in `.streamlit/secrets.toml`), the
identity provider checks the password and this module only maps the e-mail address
to a role through the same `users` table (`account_for_email`).

Sign-in through the form (`attempt`) is throttled and audited: after a few failures an
account and a client must wait, doubling each time, and many failures lock them for a while
(`LoginPolicy`, settable through `JIGAI_LOGIN_*` environment variables). Each argon2 check
costs 64 MiB, so only `verify_slots` run at once. Every attempt is recorded in
`login_events`, hash-chained (`scoring.audit`), for the regulator's security page.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import cache

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from scoring import audit, engine
from scoring.access import Scope
from scoring.db import sql

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
        sql("users/upsert"),
        {"username": username, "hash": HASHER.hash(password), "role": role, "inst": scope.inst_id,
         "district": scope.district_code, "name": name, "email": (email or "").strip().lower() or None},
    )
    return Account(username, name, scope)


def _scope_name(con: duckdb.DuckDBPyConnection, scope: Scope) -> str:
    """The name a user of this scope is shown under; refuses an unknown institution or district."""
    if scope.role == "regulator":
        return "监管用户"
    if scope.role == "institution":
        row = _one(con, sql("users/institution_name"), id=scope.inst_id)
        if row is None:
            raise ValueError(f"机构编号不存在：{scope.inst_id}")
        return row[0]
    row = _one(con, sql("users/district_name"), code=scope.district_code)
    if row is None:
        raise ValueError(f"区县代码不存在：{scope.district_code}")
    return row[0]


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str) -> Scope | None:
    """The scope of a user whose password matches, else None."""
    account = sign_in(con, username, password)
    return account.scope if account else None


def sign_in(con: duckdb.DuckDBPyConnection, username: str, password: str) -> Account | None:
    """Check a password; the account on success. A stale hash is upgraded on the way."""
    row = _one(con, sql("users/password_hash"), username=(username or "").strip())
    stored = row[0] if row and row[0] else None
    try:
        # an unknown name is checked against a dummy hash, so it costs as long as a wrong password
        HASHER.verify(stored or _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    if HASHER.check_needs_rehash(stored):
        con.execute(sql("users/set_password_hash"), {"hash": HASHER.hash(password), "username": username.strip()})
    return account(con, username.strip())


@cache
def _dummy_hash() -> str:
    return HASHER.hash("no such user")


def account(con: duckdb.DuckDBPyConnection, username: str) -> Account | None:
    row = _one(con, sql("users/account"), username=username)
    return _account(row)


def account_for_email(con: duckdb.DuckDBPyConnection, email: str | None) -> Account | None:
    """The account an OIDC identity maps to (e-mail, case-insensitive), else None."""
    if not email:
        return None
    row = _one(con, sql("users/account_by_email"), email=email.strip().lower())
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
            inst_id = _one(con, sql("users/first_institution"), kind=kind)[0]
            if inst_id is None:
                continue  # a database without such an institution gets no such user
        accounts.append(add_user(con, username, password, role, inst_id, district, name))
    con.execute(sql("users/mark_demo"))
    return accounts


def district_units(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The district codes that have a district official's account."""
    return [code for (code,) in con.execute(sql("users/district_units")).fetchall()]


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database holds the demo data and the demo accounts with public passwords."""
    return bool(_one(con, sql("users/is_demo"))[0])


# --- throttled, audited sign-in ---------------------------------------------------------------

@dataclass(frozen=True)
class LoginPolicy:
    """How sign-in failures slow down and lock an account and a client (seconds)."""

    free_failures: int = 3  # failures that cost no wait
    base_delay: float = 2.0  # the first wait, doubled with each further failure
    max_delay: float = 60.0
    lockout_failures: int = 10  # failures within `window` that lock for `lockout`
    window: float = 900.0
    lockout: float = 900.0
    client_factor: int = 3  # a client (an office behind one address) may fail this many times more
    verify_slots: int = 2  # argon2 checks at once: 64 MiB each
    verify_wait: float = 5.0  # how long an attempt waits for a slot before "busy"

    @classmethod
    def from_env(cls) -> LoginPolicy:
        """Defaults, overridden by `JIGAI_LOGIN_<FIELD>` (e.g. JIGAI_LOGIN_LOCKOUT=1800); a value
        that is not a number keeps the default rather than stopping every sign-in."""
        values = {}
        for f in fields(cls):
            text = os.environ.get(f"JIGAI_LOGIN_{f.name.upper()}")
            with suppress(TypeError, ValueError):
                values[f.name] = type(f.default)(text)
        return cls(**values)


class Throttle:
    """Failure counts per account and per client in this process, with their back-off."""

    def __init__(self, policy: LoginPolicy):
        self.policy = policy
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._slots = threading.BoundedSemaphore(policy.verify_slots)

    def _keys(self, username: str, client: str) -> list[tuple[tuple[str, str], int]]:
        return [(("account", username.strip().lower()), 1), (("client", client), self.policy.client_factor)]

    def wait(self, username: str, client: str, now: float | None = None) -> float:
        """Seconds until this account and client may try again (0: now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return max(self._wait(key, factor, now) for key, factor in self._keys(username, client))

    def _wait(self, key, factor: int, now: float) -> float:
        p, times = self.policy, self._failures.get(key)
        while times and now - times[0] > p.window + p.lockout:  # forgotten: older than any wait they caused
            times.popleft()
        if not times:
            return 0.0
        last = times[-1]
        if sum(last - t <= p.window for t in times) >= p.lockout_failures * factor:
            return max(0.0, last + p.lockout - now)
        extra = len(times) - p.free_failures * factor - 1
        if extra < 0:
            return 0.0
        return max(0.0, times[-1] + min(p.max_delay, p.base_delay * 2 ** min(extra, 30)) - now)

    def failed(self, username: str, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for key, _ in self._keys(username, client):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, username: str) -> None:
        """A right password clears the account's failures (not the client's: no reset by a second account)."""
        with self._lock:
            self._failures.pop(("account", username.strip().lower()), None)

    def slot(self) -> bool:
        return self._slots.acquire(timeout=self.policy.verify_wait)

    def release(self) -> None:
        self._slots.release()


@dataclass(frozen=True)
class Attempt:
    account: Account | None
    message: str | None  # why the attempt failed, in Chinese; None on success


_RECORD_LOCK = threading.Lock()  # the login chain is appended one row at a time


def record_login(con: duckdb.DuckDBPyConnection, username: str, client: str, outcome: str) -> None:
    """Append a sign-in attempt to `login_events` and its hash chain, in one transaction."""
    with _RECORD_LOCK:
        cur = con.cursor()
        try:
            with engine.transaction(cur):
                cur.execute(sql("users/record_login"), {"at": datetime.now(), "username": (username or "").strip()[:64],
                                                        "client": (client or "未知")[:64], "outcome": outcome})
                audit.seal(cur, audit.LOGINS)
        finally:
            cur.close()


def attempt(con: duckdb.DuckDBPyConnection, username: str, password: str, client: str,
            throttle: Throttle) -> Attempt:
    """A throttled, audited sign-in: the account on success, else the reason in Chinese."""
    wait = throttle.wait(username, client)
    if wait > 0:
        record_login(con, username, client, "throttled")
        return Attempt(None, f"登录失败次数过多，请 {_duration(wait)}后再试。")
    if not throttle.slot():
        record_login(con, username, client, "busy")
        return Attempt(None, "当前登录请求较多，请稍后再试。")
    try:
        account = sign_in(con, username, password)
    finally:
        throttle.release()
    if account is None:
        throttle.failed(username, client)
        record_login(con, username, client, "failure")
        return Attempt(None, "用户名或密码错误。")
    throttle.succeeded(username)
    record_login(con, account.username, client, "success")
    return Attempt(account, None)


def _duration(seconds: float) -> str:
    seconds = math.ceil(seconds)
    return f"{seconds} 秒" if seconds < 120 else f"{math.ceil(seconds / 60)} 分钟"


def login_events(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """The latest sign-in attempts, newest first (the regulator's security page)."""
    return con.execute(sql("users/login_events"), {"limit": limit}).df()


def login_summary(con: duckdb.DuckDBPyConnection, hours: int = 24) -> pd.DataFrame:
    """Attempts per account over the last `hours`: successes, failures, refusals, clients."""
    return con.execute(sql("users/login_summary"), {"since": datetime.now() - timedelta(hours=hours)}).df()
