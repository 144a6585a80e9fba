"""One figure, one definition (issue 9): over the demo database every headline figure and every
export total named 技改专项贷 equals the sums of the stored evaluation, for each role and scope —
the city total = ΣV1 = ΣD1, a district's figures = its D1, an institution's = its V1 — and the
second basis (every reported loan) is its own, larger figure."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from scoring import auth, bootstrap, dashboard, db, runs
from scoring.access import REGULATOR, Scope
from ui import fmt

YEAR = 2025


@pytest.fixture(scope="module")
def published(demo_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("reconcile") / "published.duckdb"
    shutil.copy(demo_path, path)
    con = bootstrap.connect(path)
    run = runs.evaluate_and_store(con, YEAR, draws=20, publish=True)
    yield con, run, path
    con.close()


def yuan(value) -> Decimal:
    return Decimal(str(round(float(value), 2)))


def test_city_total_is_the_sum_of_v1_and_of_d1(published):
    con, run, _ = published
    v1, d1 = run.institutions["V1_raw"].sum(), run.districts["D1_raw"].sum()
    assert yuan(v1) == yuan(d1)
    totals = dashboard.totals(con, YEAR, REGULATOR)
    assert totals["amount"] == yuan(v1)
    assert dashboard.monthly(con, YEAR, REGULATOR)["amount"].sum() == yuan(v1)
    race = dashboard.cumulative_by_institution(con, YEAR, REGULATOR)
    assert race.loc[race["month"] == race["month"].max(), "cumulative_amount"].sum() == yuan(v1)
    # the second basis is labelled apart and holds the reported loans that do not qualify as well
    assert totals["reported_amount"] > totals["amount"]


def test_each_district_page_is_its_d1(published):
    con, run, _ = published
    for row in run.districts.itertuples():
        scope = Scope("district", district_code=row.district_code)
        assert dashboard.totals(con, YEAR, scope)["amount"] == yuan(row.D1_raw), row.name
        assert dashboard.monthly(con, YEAR, scope)["amount"].sum() == yuan(row.D1_raw), row.name
        race = dashboard.cumulative_by_institution(con, YEAR, scope)
        final = race.loc[race["month"] == race["month"].max(), "cumulative_amount"].sum()
        assert final == yuan(row.D1_raw), row.name  # the 机构服务 page's total


def test_each_institution_page_is_its_v1(published):
    con, run, _ = published
    for row in run.institutions.itertuples():
        scope = Scope("institution", inst_id=row.inst_id)
        assert dashboard.totals(con, YEAR, scope)["amount"] == yuan(row.V1_raw), row.name
        assert dashboard.monthly(con, YEAR, scope)["amount"].sum() == yuan(row.V1_raw), row.name


def test_export_totals_are_the_stored_evaluation(published, tmp_path):
    _, run, _ = published
    paths = runs.write_outputs(run, tmp_path)
    machine = pd.read_csv(paths[0], encoding="utf-8-sig", dtype={"inst_id": str})
    assert machine["V1_raw"].sum() == pytest.approx(run.institutions["V1_raw"].sum(), abs=0.01)
    book = openpyxl.load_workbook(paths[-1])
    for group, sheet in (("bank", "银行业金融机构"), ("leasing", "融资租赁机构")):
        rows = list(book[sheet].iter_rows(min_row=2, values_only=True))
        column = rows[0].index("V1 技改专项贷发放金额（亿元）")
        exported = sum(r[column] or 0 for r in rows[1:])
        stored = run.institutions.loc[run.institutions["peer_group"] == group, "V1_raw"].sum()
        assert exported == pytest.approx(stored / 1e8, abs=1e-6)
    rows = list(book["区县赛马"].iter_rows(min_row=2, values_only=True))
    column = rows[0].index("D1 区县企业获得技改专项贷金额（亿元）")
    assert sum(r[column] or 0 for r in rows[1:]) == pytest.approx(run.districts["D1_raw"].sum() / 1e8, abs=1e-6)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize(("username", "page", "label"), [
    ("regulator", "pages/overview.py", "技改专项贷投放"),
    ("district", "pages/district_service.py", "技改专项贷投放（本区县企业）"),
])
def test_page_headlines_are_the_stored_evaluation(published, monkeypatch, username, page, label):
    con, run, path = published
    account = auth.account(con, username)
    monkeypatch.setenv(db.DB_ENV, str(path))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.session_state["account"] = account
    at.session_state["year"] = YEAR  # last year's full result, one click from the current year
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    if account.scope.role == "regulator":
        expected = run.institutions["V1_raw"].sum()
    else:
        expected = run.districts.set_index("district_code").loc[account.scope.district_code, "D1_raw"]
    assert _metric(at, label) == fmt.money_text(yuan(expected))
