"""Tamper evidence for the audit trails: `audit_log` (rows replaced by imports),
`login_events` (sign-in attempts) and `workflow_events` (submissions, API tokens, reviews,
appeals, corrected runs) are each a hash chain.

A row's hash is the SHA-256 of the previous row's hash and the row's content, in id order,
starting from 64 zeros; `audit_heads` keeps each chain's row count, last id and last hash.
Editing a row by hand breaks its own hash; deleting one breaks the next row's; deleting or
adding rows at the end no longer matches the head. Whoever can write the file could also
recompute the whole chain with this code, so the head that `python -m scoring audit verify`
prints is worth noting outside the database (for example in the minutes of a review).

Appending is serial per chain: the caller holds the writer lock (`scoring.writer`) or the
sign-in lock, and `seal` runs inside the transaction that wrote the rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from scoring.db import sql

GENESIS = "0" * 64
BATCH = 10_000  # rows fetched at a time while verifying: memory stays bounded


@dataclass(frozen=True)
class Chain:
    table: str
    id_column: str
    columns: tuple[str, ...]  # the content a row's hash covers (its id included)
    label: str  # what the chain is called in messages
    describe: str  # SQL expression: how a broken row is named to the user


IMPORTS = Chain("audit_log", "audit_id",
                ("audit_id", "file_id", "table_name", "row_key", "changed_by", "changed_at", "old_row", "new_row"),
                "导入审计日志 audit_log", "'表 ' || table_name || '，键 ' || row_key || '，' || changed_by || ' 于 ' || changed_at")
LOGINS = Chain("login_events", "event_id", ("event_id", "attempted_at", "username", "client", "outcome"),
               "登录审计 login_events", "'账号 ' || username || '，' || outcome || '，' || attempted_at")
WORKFLOW = Chain("workflow_events", "event_id",
                 ("event_id", "happened_at", "actor", "inst_id", "action", "subject", "detail"),
                 "报送与评价流程审计 workflow_events", "'动作 ' || action || '，' || actor || ' 于 ' || happened_at")
CHAINS = (IMPORTS, LOGINS, WORKFLOW)


@dataclass(frozen=True)
class Verdict:
    chain: Chain
    rows: int
    head: str
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_text(self) -> str:
        if self.ok:
            return f"{self.chain.label}：完整，共 {self.rows:,} 行，链尾哈希 {self.head}"
        where = f"第一处断裂在 {self.chain.id_column} = {self.broken_id}：" if self.broken_id is not None else ""
        return f"{self.chain.label}：已被改动。{where}{self.problem}"


def _hash(previous: str, row: tuple) -> str:
    """The chain hash of a row: SHA-256 of the previous hash and the row as a JSON array (unambiguous:
    no field can imitate a separator; times as ISO text)."""
    text = json.dumps([previous, *row], ensure_ascii=False, default=lambda v: v.isoformat())
    return hashlib.sha256(text.encode()).hexdigest()


def _sql(name: str, chain: Chain) -> str:
    """A chain query with the chain's table, id and columns filled in."""
    return sql(name).format(table=chain.table, id=chain.id_column, columns=", ".join(chain.columns),
                            describe=chain.describe)


def _head(con: duckdb.DuckDBPyConnection, chain: Chain) -> tuple[int, int, str]:
    rows = con.execute(sql("audit/head"), {"chain": chain.table}).fetchall()
    return rows[0] if rows else (0, 0, GENESIS)


def seal(con: duckdb.DuckDBPyConnection, chain: Chain) -> int:
    """Chain the rows appended since the head (inside the caller's transaction); returns how many.

    Only rows after the head's last id are sealed: a row slipped in by hand below it stays
    unsealed, and `verify` reports it."""
    count, last_id, last_hash = _head(con, chain)
    result = con.execute(_sql("audit/unsealed", chain), {"last_id": last_id})
    ids, hashes = [], []
    while batch := result.fetchmany(BATCH):
        for row in batch:
            last_hash = _hash(last_hash, row)
            ids.append(row[0])
            hashes.append(last_hash)
    if not ids:
        return 0
    con.register("sealed_rows", pa.table({"id": pa.array(ids, pa.int64()), "row_hash": hashes}))
    try:
        con.execute(_sql("audit/set_hashes", chain))
    finally:
        con.unregister("sealed_rows")
    con.execute(sql("audit/set_head"), {"chain": chain.table, "rows": count + len(ids), "last_id": ids[-1],
                                        "last_hash": last_hash})
    return len(ids)


def verify(con: duckdb.DuckDBPyConnection, chain: Chain) -> Verdict:
    """Recompute the chain from the first row; the first row that does not match, else the head."""
    count, last_id, last_hash = _head(con, chain)
    result = con.execute(_sql("audit/chain", chain))
    previous, seen, previous_id = GENESIS, 0, None
    while batch := result.fetchmany(BATCH):
        for *row, stored, described in batch:
            row_id = row[0]
            expected = _hash(previous, tuple(row))
            if stored != expected:
                problem = ("该行没有链哈希：不是由导入或登录写入的（手工插入）。" if stored is None
                           else "该行内容被修改，或其前面的行被删除。")
                return Verdict(chain, seen, previous, row_id, f"（{described}）{problem}")
            previous, previous_id, seen = expected, row_id, seen + 1
    if (seen, previous_id or 0, previous) != (count, last_id, last_hash):
        return Verdict(chain, seen, previous, None,
                       f"链尾与记录不符：记录为 {count:,} 行、最后一行 {chain.id_column} = {last_id}，"
                       f"实有 {seen:,} 行、最后一行 {previous_id}。末尾的行被删除，或链尾记录被改动。")
    return Verdict(chain, seen, previous)


def verify_all(con: duckdb.DuckDBPyConnection) -> list[Verdict]:
    return [verify(con, chain) for chain in CHAINS]
