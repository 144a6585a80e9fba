"""The HTTP API (issue 15 §2) in process: tokens, scoping, receipts, limits, throttling, the trail.

The same scoping rule as the pages: an institution's token reaches only its own rows, and another
institution's resource is 404, never 403, so its existence is never confirmed."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
from starlette.testclient import TestClient

import import_fixture as fx
from scoring import api, bootstrap, runs, tokens, trail
from scoring.access import REGULATOR
from scoring.importing.limits import Limits


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    """Every fixture row submitted by the regulator and two banks' tokens, built once for the module."""
    path = fx.submitted_file(tmp_path_factory.mktemp("api"), datetime(2025, 4, 10, 9, 0))
    con = bootstrap.connect(path, demo_if_missing=False)
    b1 = tokens.add(con, "B1", "甲银行报送系统", "regulator")[1]
    b2 = tokens.add(con, "B2", "乙银行报送系统", "regulator")[1]
    con.close()
    return path, b1, b2


@pytest.fixture()
def setup(submitted, copy_of, tmp_path):
    path, b1, b2 = submitted
    return copy_of(path), tmp_path, b1, b2


def client(con, **kwargs) -> TestClient:
    return TestClient(api.create_app(con, clock=lambda: datetime(2025, 4, 10, 10, 0), **kwargs))


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def loans_file(tmp_path, rows) -> tuple[str, bytes, str]:
    path = fx.write_csv(tmp_path / "loans.csv", "loans", rows)
    return ("loans.csv", path.read_bytes(), "text/csv")


def test_without_a_valid_token_every_endpoint_is_401_in_chinese(setup):
    con, _, b1, _ = setup
    web = client(con)
    for method, path in (("get", "/api/v1/status"), ("get", "/api/v1/submissions/SUB-1"),
                         ("get", "/api/v1/results/2025"), ("post", "/api/v1/submissions")):
        for headers in ({}, {"Authorization": "Bearer jgt_guess"}, {"Authorization": f"Basic {b1}"}):
            response = getattr(web, method)(path, headers=headers)
            assert response.status_code == 401, (path, headers)
            assert "令牌" in response.json()["error"] and response.headers["www-authenticate"] == "Bearer"
    assert web.get("/api/v1/openapi.json").status_code == 200  # the schema is public


def test_a_token_is_printed_once_and_only_its_hash_is_stored(setup):
    con, _, b1, _ = setup
    stored = con.execute("select token_hash from api_tokens where inst_id = 'B1'").fetchone()[0]
    assert stored == hashlib.sha256(b1.encode()).hexdigest() and b1 not in str(tokens.list_tokens(con).values)
    assert "token_hash" not in tokens.list_tokens(con).columns
    with pytest.raises(ValueError, match="不存在"):
        tokens.add(con, "NOPE", "", "regulator")


def test_a_submission_returns_its_receipt_200_accepted_and_422_refused(setup):
    con, tmp_path, b1, _ = setup
    web = client(con)
    name, data, kind = loans_file(tmp_path, [dict(fx.ROWS["loans"][0], amount="11000000")])
    accepted = web.post("/api/v1/submissions", headers=bearer(b1), files=[("files", (name, data, kind))])
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["status"] == "accepted" and body["channel"] == "api" and body["inst_id"] == "B1"
    assert body["files"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert (body["rows_replaced"], body["submitted_at"]) == (1, "2025-04-10T10:00:00")
    assert {"inst_id": "B1", "period": "2025-03", "rows_total": 1} in body["periods"]
    before = con.execute("select count(*), sum(amount) from loans").fetchone()
    name, data, kind = loans_file(tmp_path, [dict(fx.ROWS["loans"][0], loan_id="LN7", rate="0.9", signed_on="x")])
    refused = web.post("/api/v1/submissions", headers=bearer(b1), files=[("files", (name, data, kind))])
    assert refused.status_code == 422
    body = refused.json()
    assert body["status"] == "refused" and len(body["errors"]) == body["error_count"] >= 2
    assert {e["column"] for e in body["errors"]} >= {"rate", "signed_on"}
    assert con.execute("select count(*), sum(amount) from loans").fetchone() == before
    again = web.get(f"/api/v1/submissions/{body['submission_id']}", headers=bearer(b1))
    assert again.status_code == 200 and again.json()["errors"] == body["errors"]


def test_the_importers_scoping_holds_for_the_api(setup):
    con, tmp_path, b1, _ = setup
    web = client(con)
    name, data, kind = loans_file(tmp_path, [dict(fx.ROWS["loans"][0], loan_id="LN8", inst_id="B2")])
    other = web.post("/api/v1/submissions", headers=bearer(b1), files=[("files", (name, data, kind))])
    assert other.status_code == 422 and other.json()["errors"]
    institutions = fx.write_csv(tmp_path / "institutions.csv", "institutions", fx.ROWS["institutions"])
    regulator_only = web.post("/api/v1/submissions", headers=bearer(b1),
                              files=[("files", ("institutions.csv", institutions.read_bytes(), "text/csv"))])
    assert regulator_only.status_code == 422


def test_another_institutions_receipt_is_404_like_one_that_does_not_exist(setup):
    con, tmp_path, b1, b2 = setup
    web = client(con)
    name, data, kind = loans_file(tmp_path, fx.ROWS["loans"][:1])
    mine = web.post("/api/v1/submissions", headers=bearer(b1), files=[("files", (name, data, kind))]).json()
    theirs = web.get(f"/api/v1/submissions/{mine['submission_id']}", headers=bearer(b2))
    unknown = web.get("/api/v1/submissions/SUB-20250410-999999", headers=bearer(b2))
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["error"].replace(mine["submission_id"], "X") == unknown.json()["error"].replace(
        "SUB-20250410-999999", "X")


def test_status_is_the_callers_own(setup):
    con, _, b1, b2 = setup
    web = client(con)
    mine = web.get("/api/v1/status", headers=bearer(b1), params={"as_of": "2025-04-30"}).json()
    assert mine["inst_id"] == "B1"
    march = next(p for p in mine["periods"] if p["period"] == "2025-03")
    assert (march["status"], march["deadline"]) == ("on_time", "2025-04-15")
    theirs = web.get("/api/v1/status", headers=bearer(b2), params={"as_of": "2025-04-30"}).json()
    march = next(p for p in theirs["periods"] if p["period"] == "2025-03")
    assert (march["status"], march["working_days_late"]) == ("missing", 12)
    bad = web.get("/api/v1/status", headers=bearer(b1), params={"as_of": "2025-13-01"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["error"]


def test_results_are_the_callers_row_of_the_published_run_only(demo_path, tmp_path):
    import shutil

    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, path)
    con = bootstrap.connect(path)
    token = tokens.add(con, "B01", "", "regulator")[1]
    web = client(con)
    assert web.get("/api/v1/results/2025", headers=bearer(token)).status_code == 404  # not yet published
    run = runs.evaluate_and_store(con, 2025, draws=10, publish=True)
    body = web.get("/api/v1/results/2025", headers=bearer(token)).json()
    assert body["run_id"] == run.run_id and body["institution"]["inst_id"] == "B01"
    own = run.institutions.set_index("inst_id").loc["B01"]
    assert body["institution"]["score"] == pytest.approx(own["score"])
    v1 = next(i for i in body["indicators"] if i["indicator"] == "V1")
    assert v1["raw"] == pytest.approx(own["V1_raw"]) and v1["name"] == "技改专项贷发放金额"
    others = con.execute("select inst_id from institutions where inst_id <> 'B01'").fetchall()
    text = web.get("/api/v1/results/2025", headers=bearer(token)).text
    assert not [i for (i,) in others if f'"{i}"' in text]
    assert web.get("/api/v1/results/1999", headers=bearer(token)).status_code == 404
    con.close()


def test_a_revoked_token_is_refused(setup):
    con, _, b1, _ = setup
    web = client(con)
    assert web.get("/api/v1/status", headers=bearer(b1)).status_code == 200
    tokens.revoke(con, tokens.list_tokens(con).query("inst_id == 'B1'")["token_id"].iloc[0], "regulator")
    assert web.get("/api/v1/status", headers=bearer(b1)).status_code == 401


def test_requests_are_throttled_per_token(setup):
    con, _, b1, b2 = setup
    web = client(con, throttle=api.Throttle(rate=1, burst=2))
    codes = [web.get("/api/v1/status", headers=bearer(b1)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = web.get("/api/v1/status", headers=bearer(b1))
    assert "请求过于频繁" in limited.json()["error"] and int(limited.headers["retry-after"]) >= 1
    assert web.get("/api/v1/status", headers=bearer(b2)).status_code == 200  # another token has its own budget


def test_the_request_size_limit_is_the_importers(setup):
    con, tmp_path, b1, _ = setup
    web = client(con, limits=Limits(file_bytes=2_000))
    big = ("loans.csv", b"loan_id\n" + b"x" * 5_000 + b"\n", "text/csv")
    response = web.post("/api/v1/submissions", headers=bearer(b1), files=[("files", big)])
    assert response.status_code == 413 and "上限" in response.json()["error"]


def test_every_use_and_every_refused_token_is_in_the_trail(setup):
    con, _, b1, _ = setup
    web = client(con)
    web.get("/api/v1/status", headers=bearer(b1))
    web.get("/api/v1/submissions/SUB-X", headers=bearer(b1))
    web.get("/api/v1/status", headers={"Authorization": "Bearer jgt_wrong"})
    steps = trail.events(con, REGULATOR)
    uses = steps[steps["action"] == "token_use"]
    assert len(uses) == 2 and set(uses["inst_id"]) == {"B1"}
    assert '"status": 404' in uses["detail"].iloc[0] and "GET /api/v1/submissions/SUB-X" in uses["detail"].iloc[0]
    assert (steps["action"] == "token_refused").sum() == 1
    assert con.execute("select last_used_at is not null from api_tokens where inst_id = 'B1'").fetchone()[0]


def test_unknown_paths_and_methods_answer_in_chinese_json(setup):
    con, _, b1, _ = setup
    web = client(con)
    assert web.get("/api/v1/nothing").json()["error"] == "没有这个接口或资源。"
    assert web.delete("/api/v1/status", headers=bearer(b1)).status_code == 405
    bad = web.post("/api/v1/submissions", headers={**bearer(b1), "Content-Type": "multipart/form-data; boundary=x"},
                   content=b"--x\r\nnot a part")
    assert bad.status_code in (400, 422) and "error" in bad.json()
