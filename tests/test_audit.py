"""Tamper evidence (issue 8 item 14): the audit log and the login audit are hash chains, and
`python -m scoring audit verify` finds any row edited, deleted or slipped in by hand."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

import import_fixture as fx
from scoring import audit, auth, bootstrap, db
from scoring.importer import import_files


def verify(path):
    return subprocess.run([sys.executable, "-m", "scoring", "audit", "verify", "--db", str(path)],
                          capture_output=True, text=True, cwd=db.ROOT)


@pytest.fixture()
def audited(tmp_path):
    """A database with six replaced rows in the audit log, from three imports, and two logins."""
    path = tmp_path / "a.duckdb"
    con = bootstrap.connect(path, demo_if_missing=False)
    assert import_files(con, fx.write_all(tmp_path / "rows")).ok
    for n in (1, 2, 3):
        rows = {t: [dict(r) for r in fx.ROWS[t]] for t in ("institutions",)}
        for r in rows["institutions"][:2]:
            r["name"] = f"{r['name']}（第{n}次更名）"
        assert import_files(con, fx.write_all(tmp_path / f"v{n}", rows)).ok
    auth.record_login(con, "regulator", "127.0.0.1", "failure")
    auth.record_login(con, "regulator", "127.0.0.1", "success")
    con.close()
    return path


def test_an_intact_chain_verifies_with_exit_code_0(audited):
    con = duckdb.connect(str(audited))
    assert con.execute("select count(*), count(row_hash) from audit_log").fetchall() == [(6, 6)]
    con.close()
    done = verify(audited)
    assert done.returncode == 0, done.stderr
    assert "完整，共 6 行" in done.stdout and "完整，共 2 行" in done.stdout


@pytest.mark.slow  # end to end: `audit verify` in a subprocess
def test_a_legacy_log_without_rows_and_a_fresh_database_verify(tmp_path):
    path = tmp_path / "empty.duckdb"
    bootstrap.connect(path, demo_if_missing=False).close()
    assert verify(path).returncode == 0


SLOW = pytest.mark.slow  # each case builds the database again and runs `audit verify` in a subprocess (one stays fast)


@pytest.mark.parametrize("tamper, broken", [
    ("update audit_log set new_row = replace(new_row, '第2次', '第9次') where audit_id = 3", "audit_id = 3"),
    pytest.param("update audit_log set changed_by = 'someone' where audit_id = 1", "audit_id = 1", marks=SLOW),
    pytest.param("delete from audit_log where audit_id = 2", "audit_id = 3", marks=SLOW),
    pytest.param("delete from audit_log where audit_id = 6", "末尾的行被删除", marks=SLOW),
    pytest.param("insert into audit_log select 99, file_id, table_name, row_key, changed_by, changed_at, old_row, new_row, "
                 "null from audit_log where audit_id = 6", "audit_id = 99", marks=SLOW),
    pytest.param("update audit_log set row_hash = null where audit_id = 4", "audit_id = 4", marks=SLOW),
    pytest.param("update login_events set outcome = 'success' where event_id = 1", "event_id = 1", marks=SLOW),
    pytest.param("delete from login_events where event_id = 2", "末尾的行被删除", marks=SLOW),
])
def test_any_hand_edit_is_found_and_named(audited, tamper, broken):
    con = duckdb.connect(str(audited))
    con.execute(tamper)
    con.close()
    done = verify(audited)
    assert done.returncode == 1
    assert "已被改动" in done.stderr and broken in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_sealing_continues_the_chain_across_transactions(empty_con):
    for outcome in ("failure", "failure", "success"):
        auth.record_login(empty_con, "bank", "10.0.0.1", outcome)
    verdict = audit.verify(empty_con, audit.LOGINS)
    assert verdict.ok and verdict.rows == 3
    assert empty_con.execute("select rows, last_id from audit_heads where chain = 'login_events'").fetchall() == [(3, 3)]
