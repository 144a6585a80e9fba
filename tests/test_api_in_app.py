"""The API inside the app (issue 15 §2, README "接口"): with `JIGAI_API_PORT` set, `app.py` serves the
banks' API from the app's own process, on the app's connection and behind its single writer lock.
Under AppTest (the app in this process) a bank's system pushes October through the API with httpx
while a page import holds the writer lock: the push waits for it; then the receipt shows on the
bank's 报送记录 page and the rows through the app's connection; a second process cannot open the file."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import httpx
import pytest

from scoring import auth, db, tokens, writer
from test_pages import open_app, page_text
from test_workflow_e2e import MONTH, TABLES, free_port, month_out  # noqa: F401  (the fixture)
from ui import data

pytestmark = pytest.mark.slow  # the app under AppTest, a server on loopback, the demo database


def test_the_app_serves_the_api_on_its_connection_behind_one_writer(month_out, monkeypatch):
    con, files = month_out
    path = files["loans"].parent / "demo.duckdb"
    token = tokens.add(con, "B01", "工商银行报送系统", "regulator")[1]
    regulator, bank = auth.account(con, "regulator"), auth.account(con, "bank")
    assert bank.scope.inst_id == "B01"
    con.close()  # from here on the app's process holds the file
    port = free_port()
    monkeypatch.setenv(db.DB_ENV, str(path))
    monkeypatch.setenv("JIGAI_API_PORT", str(port))

    first = open_app(path, regulator, year=2026)
    assert not first.exception and not first.error
    server = data.start_api(port, "127.0.0.1")  # the server app.py started (a cached resource: the same one)
    try:
        started = time.monotonic()
        while not server.started and time.monotonic() - started < 60:
            time.sleep(0.05)
        assert server.started, "the app did not start the API"

        # one process holds the file: a second one (another writer) cannot open it
        probe = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(path)!r})"],
                               capture_output=True, text=True, timeout=120)
        assert probe.returncode != 0 and "lock" in probe.stderr.lower()

        sent = [(t, files[t].read_bytes()) for t in ("applications", "loans", "interest_payments", "guarantees")
                if files[t].read_bytes().count(b"\n") > 1]
        pushed = {}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"},
                          timeout=120) as web:
            assert web.get("/api/v1/status").status_code == 200  # the token works before anything waits

            def push():
                pushed["response"] = web.post("/api/v1/submissions", data={"period": MONTH},
                                              files=[("files", (f"{t}.csv", body, "text/csv")) for t, body in sent])

            with writer.exclusive():  # an import on the data page holds the app's writer lock
                pusher = threading.Thread(target=push)
                pusher.start()
                pusher.join(timeout=3)
                assert pusher.is_alive() and "response" not in pushed  # the API's write waits behind it
            pusher.join(timeout=120)
        response = pushed["response"]
        assert response.status_code == 200, response.text
        receipt = response.json()
        assert receipt["status"] == "accepted" and receipt["channel"] == "api" and receipt["inst_id"] == "B01"

        # the same connection: the app reads the pushed rows, and the bank's page shows the receipt
        with data.cursor() as cur:
            rows = cur.execute(f"select count(*) from loans where {TABLES['loans']}").fetchone()[0]
        assert rows == files["loans"].read_bytes().count(b"\n") - 1 > 0
        page = open_app(path, bank, year=2026)
        page.switch_page("pages/my_submissions.py").run()
        assert not page.exception and not page.error
        text = page_text(page)
        assert receipt["submission_id"] in text and "API 令牌" in text
    finally:
        server.should_exit = True  # stop the server this test started through the app
        for thread in threading.enumerate():
            if thread.name == "jigai-api":
                thread.join(timeout=30)
    assert not any(t.name == "jigai-api" and t.is_alive() for t in threading.enumerate())
