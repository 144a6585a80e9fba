"""The command line beside a running app, failing closed, and passwords off argv (issue 8
items 8, 12, 13): never a traceback, always a Chinese reason and a documented exit code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from scoring import bootstrap, auth, db, dbfile
from scoring.cli import EXIT_CODES

HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(float(sys.argv[2]))"


def run(*args: str, stdin: str | None = None, env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True, text=True, cwd=db.ROOT,
                          input=stdin, env=env, timeout=120)


@pytest.fixture()
def small_db(demo_path, tmp_path):
    path = tmp_path / "x.duckdb"
    shutil.copy(demo_path, path)
    return path


@pytest.fixture()
def held(small_db):
    """The database held open by another process, as the running app holds it."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(small_db), "60"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    yield small_db, holder.pid
    holder.kill()
    holder.wait()


COMMANDS = [
    ["sla", "--out", "{out}/sla.csv"],
    ["subsidy", "--year", "2025", "--out", "{out}/s.csv"],
    ["evaluate", "--year", "2025", "--out", "{out}/eval", "--draws", "0"],
    ["report", "--run", "E2025-001", "--out", "{out}/r.docx"],
    ["import", "{out}/loans.csv"],
    ["audit", "verify"],
    ["init"],
    ["init", "--demo", "--force"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_beside_the_app_says_who_holds_the_database(held, tmp_path, command):
    path, pid = held
    (tmp_path / "loans.csv").write_text("loan_id\n", encoding="utf-8")
    args = [a.format(out=tmp_path) for a in command]
    done = run(*args, "--db", str(path))
    assert done.returncode == dbfile.BUSY_EXIT == 3
    assert "Traceback" not in done.stderr + done.stdout
    assert "正被另一个程序" in done.stderr and f"进程号 {pid}" in done.stderr
    assert "数据导入" in done.stderr and "--wait" in done.stderr, "it says what to do"
    assert path.exists(), "init --force does not delete the database under the app"


def test_user_add_beside_the_app_is_refused_too(held):
    path, _ = held
    done = run("user", "add", "--db", str(path), "x", "--role", "regulator", stdin="long-enough-1\n")
    assert done.returncode == 3 and "Traceback" not in done.stderr


def test_wait_gives_up_after_the_time_given_and_succeeds_once_the_app_lets_go(small_db, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(small_db), "8"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    try:
        started = time.monotonic()
        done = run("sla", "--db", str(small_db), "--out", str(tmp_path / "a.csv"), "--wait", "0.5")
        assert done.returncode == 3 and "已等待 0.5 秒" in done.stderr
        assert time.monotonic() - started < 8
        done = run("sla", "--db", str(small_db), "--out", str(tmp_path / "b.csv"), "--wait", "60")
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "b.csv").exists()
    finally:
        holder.kill()
        holder.wait()


def test_exit_codes_are_documented_in_the_readme_and_the_help():
    readme = (db.ROOT / "README.md").read_text(encoding="utf-8")
    helped = "".join(run("--help").stdout.split())  # argparse wraps the text
    for code, meaning in EXIT_CODES.items():
        assert f"| {code} |" in readme
        assert "".join(f"{code} {meaning}".split()) in helped


def test_usage_errors_are_in_chinese():
    done = run("sla", "--as-of", "2025-13-01", "--out")
    assert done.returncode == 2
    assert "用法错误" in done.stderr and "Traceback" not in done.stderr


def test_jigai_db_naming_a_missing_file_is_an_error_not_a_demo(tmp_path):
    missing = tmp_path / "typo.duckdb"
    done = run("sla", "--out", str(tmp_path / "x.csv"), env={**os.environ, db.DB_ENV: str(missing)})
    assert done.returncode == 1
    assert "数据库文件不存在" in done.stderr and db.DB_ENV in done.stderr and "Traceback" not in done.stderr
    assert not missing.exists(), "no database, and so no demo accounts, appear behind the user's back"


def test_open_database_fails_closed_for_an_explicit_missing_file(tmp_path, monkeypatch):
    monkeypatch.setenv(db.DB_ENV, str(tmp_path / "gone.duckdb"))
    with pytest.raises(dbfile.Unavailable, match="数据库文件不存在"):
        dbfile.open_database()
    with pytest.raises(dbfile.Unavailable, match="--db"):
        dbfile.open_database(tmp_path / "also-gone.duckdb")
    assert list(tmp_path.iterdir()) == []
    con = dbfile.open_database(tmp_path / "new.duckdb", create=True)  # `init` creates, without demo data
    assert con.execute("select count(*) from users").fetchall() == [(0,)]
    assert not auth.is_demo(con)


def test_user_add_reads_the_password_from_stdin_never_argv(tmp_path):
    path = tmp_path / "u.duckdb"
    assert run("init", "--db", str(path)).returncode == 0
    refused = run("user", "add", "--db", str(path), "li", "--role", "regulator", "--password", "long-enough-1")
    assert refused.returncode == 2 and "--password" in refused.stderr, "a password on argv is not accepted"
    done = run("user", "add", "--db", str(path), "li", "--role", "regulator", stdin="long-enough-1\n")
    assert done.returncode == 0, done.stderr
    assert "long-enough-1" not in done.stdout + done.stderr
    con = duckdb.connect(str(path))
    assert auth.authenticate(con, "li", "long-enough-1") is not None
    con.close()
    short = run("user", "add", "--db", str(path), "li", "--role", "regulator", stdin="short\n")
    assert short.returncode == 1 and "密码至少" in short.stderr
