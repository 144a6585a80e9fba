"""Appeals (复核) and the corrected run that supersedes the published one (issue 15 §4)."""

from __future__ import annotations

import shutil
from datetime import datetime

import pandas as pd
import pytest

import import_fixture as fx
from scoring import appeals, audit, bootstrap, published, receipts, report, runs, trail
from scoring.access import REGULATOR, Scope

PDF = b"%PDF-1.4\n%%EOF\n"
B01, B02 = Scope("institution", inst_id="B01"), Scope("institution", inst_id="B02")


@pytest.fixture()
def con(demo_path, tmp_path):
    """The demo with 2025 published on 30 September 2025 at 10:00 (a day whose window crosses National Day)."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, path)
    connection = bootstrap.connect(path)
    run = runs.evaluate_and_store(connection, 2025, draws=10, publish=True)
    connection.execute("update evaluation_runs set published_at = timestamp '2025-09-30 10:00' where run_id = ?",
                       [run.run_id])
    yield connection
    connection.close()


def at(text: str):
    return lambda: datetime.fromisoformat(text)


def current(con) -> str:
    return published.published_run(con, 2025)


def test_the_window_is_five_working_days_after_publication_on_the_r9_calendar(con):
    run = runs.load_run(con, current(con))
    # 1–8 October are National Day, Saturday 11 October a makeup working day: 9, 10, 11, 13, 14.
    assert appeals.window(con, run) == (datetime(2025, 9, 30).date(), datetime(2025, 10, 14).date())
    late = at("2025-10-15 09:00")
    with pytest.raises(ValueError, match="复核申请期限已过.*2025-10-14"):
        appeals.file_appeal(con, run.run_id, "B01", ["V1"], "发放金额漏报。", [], "bank", clock=late)
    appeal_id = appeals.file_appeal(con, run.run_id, "B01", ["V1"], "发放金额漏报。", [], "bank",
                                    clock=at("2025-10-14 17:59"))
    assert appeal_id == "A2025-001"


def test_an_appeal_names_indicators_of_its_group_with_reasons_and_is_filed_once(con):
    run_id = current(con)
    day = at("2025-10-09 10:00")
    with pytest.raises(ValueError, match="D1 不是本机构所在组的评价指标"):
        appeals.file_appeal(con, run_id, "B01", ["D1"], "理由", [], "bank", clock=day)
    with pytest.raises(ValueError, match="复核理由"):
        appeals.file_appeal(con, run_id, "B01", ["V1"], " ", [], "bank", clock=day)
    with pytest.raises(ValueError, match="类型不被接受"):
        appeals.file_appeal(con, run_id, "B01", ["V1"], "理由", [("x.pdf", b"<svg/>")], "bank", clock=day)
    assert appeals.appeals(con, REGULATOR).empty  # nothing half-written
    appeals.file_appeal(con, run_id, "B01", ["V1", "S1"], "理由", [("依据.pdf", PDF)], "bank", clock=day)
    with pytest.raises(ValueError, match="只能申请一次"):
        appeals.file_appeal(con, run_id, "B01", ["V2"], "再来", [], "bank", clock=day)
    mine = appeals.appeals(con, B01)
    assert mine[["indicators", "status_label"]].values.tolist() == [["V1;S1", "待决定"]]
    assert appeals.appeals(con, B02).empty  # another institution never sees it


def test_a_rejected_appeal_keeps_the_published_run(con):
    run_id = current(con)
    appeal_id = appeals.file_appeal(con, run_id, "B02", ["P1"], "利率口径有误。", [], "bank2",
                                    clock=at("2025-10-09 10:00"))
    appeals.decide(con, appeal_id, False, "经核对，利率按签约日同期限 LPR 计算无误。", "regulator")
    with pytest.raises(ValueError, match="已于"):
        appeals.decide(con, appeal_id, True, "改主意", "regulator")
    assert appeals.appeals(con, B02)["status_label"].tolist() == ["不予支持"]
    assert current(con) == run_id


@pytest.mark.slow  # end to end: publish, appeal, re-evaluate and publish the corrected run
def test_an_accepted_appeal_leads_to_a_corrected_run_that_supersedes_the_published_one(con, tmp_path):
    old_id = current(con)
    old = runs.load_run(con, old_id)
    old_rows = old.institutions.copy()
    appeal_id = appeals.file_appeal(con, old_id, "B01", ["V1"], "一笔 2025 年 5 月的贷款金额报错。", [("依据.pdf", PDF)],
                                    "bank", clock=at("2025-10-09 10:00"))
    appeals.decide(con, appeal_id, True, "经核对属实，请重新报送该笔贷款。", "regulator")
    # the bank corrects the loan: the published evaluation's data is now corrected
    cursor = con.execute("select * from loans where inst_id = 'B01' and disbursed_on between '2025-05-01' and '2025-05-31' "
                         "order by loan_id limit 1")
    values = cursor.fetchone()
    row = {c[0]: "" if v is None else str(v) for c, v in zip(cursor.description, values, strict=True)}
    row["amount"] = str(values[[c[0] for c in cursor.description].index("amount")] + 50_000_000)
    assert receipts.submit(con, [fx.write_csv(tmp_path / "loans.csv", "loans", [row])], user="bank",
                           inst_id="B01").ok
    new = appeals.issue_corrected_run(con, old_id, "受理复核，B01 更正贷款金额后重新评价", "regulator")

    assert current(con) == new.run_id != old_id  # every page and the API read the final run
    assert new.run.supersedes == old_id and appeal_id in new.run.correction_reason
    kept = runs.load_run(con, old_id)
    assert kept.run.superseded_by == new.run_id
    pd.testing.assert_frame_equal(kept.institutions, old_rows)  # the old run's results are untouched
    b01_old = old_rows.set_index("inst_id").at["B01", "V1_raw"]
    assert new.institutions.set_index("inst_id").at["B01", "V1_raw"] == pytest.approx(b01_old + 50_000_000)
    with pytest.raises(runs.RunError, match="已被更正评价"):
        runs.delete_run(con, old_id)
    # next year's cooperating list follows the final run
    listed = set(con.execute("select inst_id from cooperation where year = 2026 and source = 'evaluation'").fetchall())
    assert listed == {(i,) for i in new.institutions.loc[new.institutions["selected"], "inst_id"]}
    assert appeals.appeals(con, B01)[["status", "corrected_run_id"]].values.tolist() == [["accepted", new.run_id]]
    # the 通报 of the old run says it was superseded; the new one is a correction
    old_doc = report.write_report(con, old_id, tmp_path / "old.docx")
    new_doc = report.write_report(con, new.run_id, tmp_path / "new.docx")
    from docx import Document
    assert f"已被更正评价 {new.run_id} 取代" in Document(old_doc).paragraphs[0].text
    assert "（更正）" in Document(new_doc).paragraphs[0].text
    actions = trail.events(con, REGULATOR)["action"].tolist()
    assert {"appeal_filed", "appeal_decided", "run_corrected", "submission"} <= set(actions)
    assert all(v.ok for v in audit.verify_all(con))
    with pytest.raises(ValueError, match="不是当前已发布的评价"):
        appeals.issue_corrected_run(con, old_id, "再更正一次", "regulator")
