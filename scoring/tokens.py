"""API tokens of institutions' reporting systems (issue 15 §2).

`add` makes a token for an institution and returns it once: only its SHA-256 is kept (a token is
256 random bits, so a plain hash is enough — there is nothing to guess that a slow hash would
protect). `authenticate` finds the live token of a presented one; `revoke` ends it. Issuing,
every use, every refusal and revoking are steps of the workflow trail (`scoring.trail`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from scoring import engine, trail, writer

PREFIX = "jgt_"


@dataclass(frozen=True)
class Token:
    token_id: str
    inst_id: str
    label: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add(con: duckdb.DuckDBPyConnection, inst_id: str, label: str, actor: str) -> tuple[str, str]:
    """A new token for `inst_id`: (token_id, token). The token is shown once and never stored."""
    names = engine.query(con, "workflow/institution", scope=None, inst_id=inst_id)
    if names.empty:
        raise ValueError(f"机构 {inst_id} 不存在，无法签发令牌")
    token = PREFIX + secrets.token_urlsafe(32)
    with writer.exclusive(), _transaction(con):
        number = int(engine.query(con, "workflow/next_token", scope=None).iat[0, 0])
        token_id = f"T{number:04d}"
        engine.execute(con, "workflow/add_token", token_id=token_id, inst_id=inst_id, token_hash=digest(token),
                       label=label or f"{names['name'].iloc[0]} 报送系统", created_by=actor, created_at=datetime.now())
        trail.record(con, actor, "token_add", inst_id=inst_id, subject=token_id, detail={"label": label})
    return token_id, token


def list_tokens(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every token (never its hash): id, institution, label, who issued it and when, revoked, last used."""
    return engine.query(con, "workflow/tokens", scope=None)


def revoke(con: duckdb.DuckDBPyConnection, token_id: str, actor: str) -> None:
    with writer.exclusive(), _transaction(con):
        found = engine.query(con, "workflow/token", scope=None, token_id=token_id)
        if found.empty:
            raise ValueError(f"令牌 {token_id} 不存在")
        if pd.notna(found["revoked_at"].iloc[0]):
            raise ValueError(f"令牌 {token_id} 已于 {found['revoked_at'].iloc[0]:%Y-%m-%d %H:%M} 吊销")
        engine.execute(con, "workflow/revoke_token", token_id=token_id, at=datetime.now())
        trail.record(con, actor, "token_revoke", inst_id=found["inst_id"].iloc[0], subject=token_id)


def authenticate(con: duckdb.DuckDBPyConnection, presented: str | None) -> Token | None:
    """The live token `presented` stands for, or None (missing, unknown or revoked)."""
    if not presented or not presented.startswith(PREFIX) or len(presented) > 200:
        return None
    found = engine.query(con, "workflow/token_by_hash", scope=None, token_hash=digest(presented))
    if found.empty:
        return None
    row = found.iloc[0]
    return Token(row["token_id"], row["inst_id"], row["label"])


def record_use(con: duckdb.DuckDBPyConnection, token: Token | None, request: str, outcome: int, client: str) -> None:
    """Every use of the API, and every refused token, in the trail (caller holds no lock)."""
    with writer.exclusive(), _transaction(con):
        if token is None:
            trail.record(con, f"客户端 {client}", "token_refused", detail={"request": request, "status": outcome})
            return
        engine.execute(con, "workflow/touch_token", token_id=token.token_id, at=datetime.now())
        trail.record(con, f"API 令牌 {token.token_id}", "token_use", inst_id=token.inst_id, subject=token.token_id,
                     detail={"request": request, "status": outcome, "client": client})


class _transaction:
    def __init__(self, con):
        self.con = con

    def __enter__(self):
        self.con.begin()

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.con.commit()
        else:
            self.con.rollback()
        return False
