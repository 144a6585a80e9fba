"""The whole workflow end to end (issue 15, "Must show"): an institution's system pushes a month of
data to the API server on loopback with httpx, gets its receipt, the regulator's tracker shows the
month on time; the year is published, the institution appeals, the regulator accepts, and the
corrected run supersedes the published one — which the API then serves. And the command line:
`python -m scoring token add` and `python -m scoring api` in subprocesses."""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import date, datetime

import httpx
import pytest
import uvicorn

from scoring import api, appeals, bootstrap, contract, db, published, reporting, runs, tokens
from scoring.access import REGULATOR

pytestmark = pytest.mark.slow  # a server on loopback, the demo database, subprocesses

MONTH = "2026-10"  # due on 13 November 2026 (the 10th working day of November)
PUSHED_AT = datetime(2026, 11, 6, 10, 30)  # the bank's system pushes a week before the deadline
AS_OF = date(2026, 11, 27)
TABLES = {  # what B01 reported for October: its loans and applications of the month, and what hangs on them
    "applications": "inst_id = 'B01' and strftime(registered_on, '%Y-%m') = '2026-10'",
    "loans": "inst_id = 'B01' and strftime(signed_on, '%Y-%m') = '2026-10'",
    "interest_payments": "loan_id in (select loan_id from loans where inst_id = 'B01' "
                         "and strftime(signed_on, '%Y-%m') = '2026-10')",
    "guarantees": "loan_id in (select loan_id from loans where inst_id = 'B01' "
                  "and strftime(signed_on, '%Y-%m') = '2026-10')",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def month_out(demo_path, tmp_path):
    """A copy of the demo without B01's October 2026 report, and that report as CSV files."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, path)
    con = bootstrap.connect(path)
    files = {}
    for table in ("interest_payments", "guarantees", "loans", "applications"):  # dependants first
        columns = ", ".join(contract.TABLES[table].names)
        out = tmp_path / f"{table}.csv"
        con.execute(f"copy (select {columns} from {table} where {TABLES[table]}) to '{out}' (header, delimiter ',')")
        files[table] = out
        con.execute(f"delete from {table} where {TABLES[table]}")
    con.execute("delete from submission_periods where submission_id = 'DEMO-2026-10-B01'")
    con.execute("delete from submissions where submission_id = 'DEMO-2026-10-B01'")
    yield con, files
    con.close()


def test_submit_receipt_tracker_publish_appeal_accept_and_the_corrected_run_supersedes(month_out):
    con, files = month_out
    assert reporting.reporting_status(con, AS_OF, REGULATOR, period=MONTH).set_index("inst_id").at["B01", "status"] \
        == "missing"
    token = tokens.add(con, "B01", "工商银行报送系统", "regulator")[1]
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(api.create_app(con, clock=lambda: PUSHED_AT), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        base, auth = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=auth, timeout=60) as web:
            sent = [(t, files[t].read_bytes()) for t in ("applications", "loans", "interest_payments", "guarantees")
                    if files[t].read_bytes().count(b"\n") > 1]  # a table with rows that month
            pushed = web.post("/api/v1/submissions", data={"period": MONTH},
                              files=[("files", (f"{t}.csv", data, "text/csv")) for t, data in sent])
            assert pushed.status_code == 200, pushed.text
            receipt = pushed.json()
            assert receipt["status"] == "accepted" and receipt["submitted_at"] == "2026-11-06T10:30:00"
            by_table = {f["table_name"]: f for f in receipt["files"]}
            for table, data in sent:
                rows = data.decode().count("\n") - 1
                assert by_table[table]["sha256"] == hashlib.sha256(data).hexdigest()
                assert (by_table[table]["rows_total"], by_table[table]["rows_inserted"]) == (rows, rows)
            assert by_table["loans"]["rows_total"] > 0 and by_table["applications"]["rows_total"] > 0
            assert {"inst_id": "B01", "period": MONTH} in [{k: p[k] for k in ("inst_id", "period")}
                                                           for p in receipt["periods"]]
            again = web.get(f"/api/v1/submissions/{receipt['submission_id']}")
            assert again.status_code == 200 and again.json() == receipt

            status = web.get("/api/v1/status", params={"as_of": AS_OF.isoformat()}).json()
            october = next(p for p in status["periods"] if p["period"] == MONTH)
            assert (october["status"], october["deadline"], october["working_days_late"]) == ("on_time", "2026-11-13", 0)
            tracker = reporting.reporting_status(con, AS_OF, REGULATOR, period=MONTH).set_index("inst_id")
            assert tracker.at["B01", "status"] == "on_time"
            assert "B01" not in set(reporting.overdue(reporting.reporting_status(con, AS_OF, REGULATOR))["inst_id"])

            assert web.get("/api/v1/results/2025").status_code == 404  # nothing published yet
            first = runs.evaluate_and_store(con, 2025, draws=10, publish=True)
            assert web.get("/api/v1/results/2025").json()["run_id"] == first.run_id

            appeal_id = appeals.file_appeal(con, first.run_id, "B01", ["S1"], "部分环节的办结日期报送有误，已更正。",
                                            [("更正说明.pdf", b"%PDF-1.4\n%%EOF\n")], "bank")
            appeals.decide(con, appeal_id, True, "核对属实，受理。", "regulator")
            corrected = appeals.issue_corrected_run(con, first.run_id, "受理 B01 复核申请后重新评价", "regulator")

            assert published.published_run(con, 2025) == corrected.run_id
            assert runs.load_run(con, first.run_id).run.superseded_by == corrected.run_id
            served = web.get("/api/v1/results/2025").json()
            assert served["run_id"] == corrected.run_id and served["institution"]["inst_id"] == "B01"
            assert appeals.appeals(con, REGULATOR).set_index("appeal_id").at[appeal_id, "corrected_run_id"] \
                == corrected.run_id
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def run(*args: str, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True, text=True, cwd=db.ROOT,
                          input=stdin, timeout=300)


def test_token_and_api_commands(tmp_path):
    path = tmp_path / "x.duckdb"
    assert run("init", "--db", str(path)).returncode == 0
    bootstrap_con = bootstrap.connect(path, demo_if_missing=False)
    bootstrap_con.execute("insert into institutions (inst_id, name, kind) values ('B01', '甲银行', 'bank')")
    bootstrap_con.close()
    added = run("token", "add", "--db", str(path), "--inst", "B01", "--label", "报送系统")
    assert added.returncode == 0, added.stderr
    token = next(line.split()[-1] for line in added.stdout.splitlines() if line.strip().startswith("jgt_")
                 or line.split()[-1].startswith("jgt_"))
    listed = run("token", "list", "--db", str(path))
    assert "T0001" in listed.stdout and token not in listed.stdout
    assert run("token", "add", "--db", str(path), "--inst", "NOPE").returncode == 1

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "scoring", "api", "--db", str(path), "--host", "127.0.0.1",
                               "--port", str(port)], cwd=db.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the API did not start")
        assert httpx.get(f"{base}/api/v1/status").status_code == 401
        assert httpx.get(f"{base}/api/v1/status", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    revoked = run("token", "revoke", "--db", str(path), "T0001")
    assert revoked.returncode == 0 and "已吊销" in revoked.stdout
