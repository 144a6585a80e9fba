"""The tracker on the demo database, and a correction to data a published evaluation used (issue 15 §1)."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

import import_fixture as fx
from conftest import DEMO_UNTIL
from scoring import bootstrap, receipts, reporting, runs
from scoring.access import REGULATOR


@pytest.fixture()
def published_con(demo_path, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, path)
    con = bootstrap.connect(path)
    runs.evaluate_and_store(con, 2025, draws=10, publish=True)
    yield con
    con.close()


def test_the_demo_history_has_on_time_late_missing_and_corrected_months(demo_path, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, path)
    con = bootstrap.connect(path)
    status = reporting.reporting_status(con, DEMO_UNTIL, REGULATOR)
    expected = con.execute("select count(*) from institutions where kind in ('bank', 'leasing')").fetchone()[0]
    assert status.groupby("period")["inst_id"].count().eq(expected).all()
    assert set(status["status"]) == {"on_time", "late", "missing", "corrected"}
    missing = reporting.overdue(status)
    # The latest due month (October 2026, due 13 November) is missing for two institutions; as of 27
    # November that is 14, 16–20, 23–27 November = 10 working days late.
    assert missing["period"].tolist() == ["2026-10", "2026-10"]
    assert missing["working_days_late"].tolist() == [10, 10]
    con.close()


def test_correcting_a_period_of_a_published_evaluation_marks_it_and_lists_what_changed(published_con, tmp_path):
    con = published_con
    run_id = runs.list_runs(con)["run_id"].iloc[0]
    assert not reporting.corrections_since_publication(con, run_id).corrected
    cursor = con.execute("select * from loans where inst_id = 'B01' and signed_on between '2025-05-01' and '2025-05-31' "
                         "order by loan_id limit 1")
    values = cursor.fetchone()
    row = {c[0]: "" if v is None else str(v) for c, v in zip(cursor.description, values, strict=True)}
    row["amount"] = str(values[[c[0] for c in cursor.description].index("amount")] + 1000)
    path = fx.write_csv(tmp_path / "loans.csv", "loans", [row])
    report = receipts.submit(con, [path], user="bank", inst_id="B01", clock=lambda: datetime.now())
    assert report.ok and report.files[0].replaced == 1, report.to_text()
    correction = reporting.corrections_since_publication(con, run_id)
    assert correction.corrected
    assert correction.tables.loc[correction.tables["changed"], "table"].tolist() == ["loans"]
    assert correction.submissions["submission_id"].tolist() == [report.submission_id]
    assert "数据已更正" in correction.to_text() and "loans" in correction.to_text()
    status = reporting.reporting_status(con, datetime.now().date(), REGULATOR, period="2025-05")
    assert status.set_index("inst_id").at["B01", "status"] == "corrected"
