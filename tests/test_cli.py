"""The command line as a user runs it: `python -m scoring ...` in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import duckdb
import pytest

from scoring import bootstrap, db

pytestmark = pytest.mark.slow  # end to end: the command line in a subprocess


def run(*args: str, stdin: str | None = None, env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True, text=True, cwd=db.ROOT,
                          input=stdin, env=env)


def test_init_demo_builds_and_publishes_the_latest_full_year(tmp_path):
    path = tmp_path / "x.duckdb"
    done = run("init", "--db", str(path), "--demo", "--loans", "400")
    assert done.returncode == 0, done.stderr
    assert "演示数据已生成" in done.stdout
    con = duckdb.connect(str(path), read_only=True)
    loans = con.execute("select count(*) from loans").fetchone()[0]
    published = con.execute("select count(*) from evaluation_runs where published_at is not null").fetchone()[0]
    users = con.execute("select count(*) from users").fetchone()[0]
    con.close()
    assert loans == 400
    assert published == 1, "banks and districts see published results only: the demo publishes one"
    assert users >= 4

    again = run("init", "--db", str(path), "--demo", "--loans", "400")
    assert again.returncode == 1 and "错误" in again.stderr, "a second demo into a filled database is refused"


def test_an_explicit_database_must_exist(tmp_path):
    missing = tmp_path / "nowhere.duckdb"
    done = run("sla", "--db", str(missing), "--out", str(tmp_path / "x.csv"))
    assert done.returncode != 0
    assert "数据库文件不存在" in done.stderr
    assert not missing.exists(), "nothing is created behind the user's back"


def test_user_add_with_email_maps_an_oidc_identity(tmp_path):
    path = tmp_path / "x.duckdb"
    assert run("init", "--db", str(path)).returncode == 0
    done = run("user", "add", "--db", str(path), "wang", "--role", "institution", "--inst", "B01",
               "--email", "wang@example.cn", stdin="long-enough-1\n")
    # B01 does not exist in an empty database: the refusal names it in Chinese
    assert done.returncode == 1 and "B01" in done.stderr
    con = bootstrap.connect(path)
    con.execute("insert into institutions (inst_id, name, kind) values ('B01', '测试银行', 'bank')")
    con.close()
    done = run("user", "add", "--db", str(path), "wang", "--role", "institution", "--inst", "B01",
               "--email", "wang@example.cn", stdin="long-enough-1\n")
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("select username from users where email = 'wang@example.cn'").fetchone() == ("wang",)


def test_a_database_beyond_the_memory_limit_gets_a_chinese_message_and_no_file(tmp_path):
    """At 10,000,000 loans `subsidy` outgrew the default 256 MB (bench/results/bench_spark.md): the
    message names the limit and the variable that raises it, with no traceback and no half-written file."""
    import os

    path = tmp_path / "x.duckdb"
    assert run("init", "--db", str(path), "--demo", "--loans", "400").returncode == 0
    out = tmp_path / "subsidy.csv"
    done = run("subsidy", "--year", "2025", "--out", str(out), "--db", str(path),
               env=os.environ | {"JIGAI_DUCKDB_MEMORY": "1MB"})
    assert done.returncode == 1
    assert "超出内存上限 1MB" in done.stderr and "JIGAI_DUCKDB_MEMORY=8GB" in done.stderr
    assert "Traceback" not in done.stderr and "Out of Memory" not in done.stderr
    assert not out.exists()
    assert run("subsidy", "--year", "2025", "--out", str(out), "--db", str(path)).returncode == 0, \
        "the default limit serves the same database"


def test_a_command_that_runs_out_of_memory_is_run_again_with_more(tmp_path, monkeypatch, capsys):
    """Without JIGAI_DUCKDB_MEMORY the small default is tried first, then RETRY_LIMITS (a much larger database
    outgrows 256 MB): the same files come out, and the user is told why it took longer."""
    from scoring import cli

    path = tmp_path / "x.duckdb"
    assert run("init", "--db", str(path), "--demo", "--loans", "400").returncode == 0
    assert cli.main(["subsidy", "--year", "2025", "--out", str(tmp_path / "a.csv"), "--db", str(path)]) == 0
    monkeypatch.setattr(cli, "MEMORY_LIMIT", "1MB")
    monkeypatch.setattr(cli, "RETRY_LIMITS", ("2MB", "256MB"))
    assert cli.main(["subsidy", "--year", "2025", "--out", str(tmp_path / "b.csv"), "--db", str(path)]) == 0
    err = capsys.readouterr().err
    assert "内存上限 1MB 不足，以 2MB 重新运行" in err and "内存上限 2MB 不足，以 256MB 重新运行" in err
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    monkeypatch.setattr(cli, "RETRY_LIMITS", ())
    assert cli.main(["subsidy", "--year", "2025", "--out", str(tmp_path / "c.csv"), "--db", str(path)]) == 1
    assert "超出内存上限 1MB" in capsys.readouterr().err


def test_ctrl_c_during_a_query_is_an_interrupt_not_a_failure_to_report(tmp_path, monkeypatch, capsys):
    """DuckDB 2.0's client turns Ctrl-C inside a query into RuntimeError("Query interrupted"): the CLI said
    "命令执行失败……请把这条信息发给系统管理员" with status 1. It says "已中断" with 130, as for Ctrl-C anywhere else."""
    from scoring import cli

    con = duckdb.connect()

    def endless_query(args):
        con.execute("select count(*) from range(100000000000) as t(i) where i % 7 = 3").fetchall()
        return 0

    monkeypatch.setattr(cli, "_within_memory", endless_query)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # a test worker may ignore Ctrl-C
    ctrl_c = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    safety = threading.Timer(20, con.interrupt)  # a failure, not a hang, if Ctrl-C never reached the query
    ctrl_c.start()
    safety.start()
    try:
        code = cli.main(["sla", "--as-of", "2025-06-30", "--out", str(tmp_path / "sla.csv")])
        after = signal.getsignal(signal.SIGINT)
    finally:
        ctrl_c.cancel()
        safety.cancel()
        signal.signal(signal.SIGINT, previous)
    err = capsys.readouterr().err
    assert (code, err) == (130, "已中断。\n")
    assert after is signal.default_int_handler  # the command's own handler is gone with it
