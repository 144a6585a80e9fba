"""Reporting periods, deadlines, status and receipts (issue 15 §1), worked by hand on the R9 calendar.

The fixture's rows (tests/import_fixture.py) are imported by the regulator on 2025-04-10: bank B1's
loan LN1 and application A1 fall in 2025-03, so B1 has reported March; bank B2 has no rows at all.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime

import openpyxl
import pytest

import import_fixture as fx
from scoring import audit, receipts, reporting, trail
from scoring.access import REGULATOR, Scope

B1, B2 = Scope("institution", inst_id="B1"), Scope("institution", inst_id="B2")


def at(text: str):
    return lambda: datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    return fx.submitted_file(tmp_path_factory.mktemp("reported"), at("2025-04-10 09:30")())


@pytest.fixture()
def reported(submitted, copy_of, tmp_path):
    return copy_of(submitted), tmp_path


def status_of(con, as_of: date, inst: str, period: str):
    frame = reporting.reporting_status(con, as_of, REGULATOR, period=period)
    return frame[frame["inst_id"] == inst].iloc[0]


def test_deadline_is_the_tenth_working_day_of_the_next_month_on_the_r9_calendar():
    # October 2025: 1–8 National Day, Saturday 11 a makeup working day (R9):
    # 9, 10, 11(Sat), 13, 14, 15, 16, 17, 20, 21 → the 10th working day is 21 October.
    assert reporting.deadline("2025-09", 10) == date(2025, 10, 21)
    assert reporting.deadline("2025-09", 5) == date(2025, 10, 14)
    # April 2025: 4–6 Qingming: 1, 2, 3, 7, 8, 9, 10, 11, 14, 15 → 15 April.
    assert reporting.deadline("2025-03", 10) == date(2025, 4, 15)
    # February 2026 before the Spring Festival: 2–6, 9–13 → 13 February.
    assert reporting.deadline("2026-01", 10) == date(2026, 2, 13)


def test_the_deadline_is_a_setting_and_a_bad_value_is_refused_in_chinese(empty_con):
    assert reporting.settings(empty_con).deadline_working_days == 10
    reporting.set_setting(empty_con, "deadline_working_days", "5", "regulator")
    assert reporting.settings(empty_con).deadline_working_days == 5
    periods = reporting.periods(empty_con, date(2025, 11, 1), first="2025-09")
    assert periods.set_index("period")["deadline"].to_dict() == {"2025-09": date(2025, 10, 14),
                                                                 "2025-10": date(2025, 11, 7)}
    with pytest.raises(ValueError, match="1–30 之间的整数"):
        reporting.set_setting(empty_con, "deadline_working_days", "十", "regulator")
    with pytest.raises(ValueError, match="YYYY-MM"):
        reporting.set_setting(empty_con, "first_period", "2025/09", "regulator")
    assert trail.events(empty_con, REGULATOR)["action"].tolist() == ["settings"]


def test_status_not_due_on_time_missing_late_and_corrected(reported, tmp_path):
    con, _ = reported
    # As of 10 April nothing is due yet for B2; B1's March came on 10 April, before the 15 April deadline.
    assert status_of(con, date(2025, 4, 10), "B2", "2025-03")["status"] == "not_due"
    b1 = status_of(con, date(2025, 4, 30), "B1", "2025-03")
    assert (b1["status"], b1["working_days_late"]) == ("on_time", 0)
    # B2 never reported March. Working days after 15 April up to 30 April: 16, 17, 18, 21, 22, 23, 24, 25,
    # 27 (Sunday, Labour Day makeup), 28, 29, 30 → 12.
    b2 = status_of(con, date(2025, 4, 30), "B2", "2025-03")
    assert (b2["status"], b2["working_days_late"]) == ("missing", 12)
    # B2 files a nil report for March on Saturday 10 May: counted as Monday 12 May, the next working day
    # (1–5 May Labour Day): 12 through 30 April, then 6, 7, 8, 9, 12 May → 17.
    nil = receipts.submit(con, [], user="bank2", inst_id="B2", declared=["2025-03"], clock=at("2025-05-10 10:00"))
    assert nil.ok
    b2 = status_of(con, date(2025, 5, 31), "B2", "2025-03")
    assert (b2["status"], b2["working_days_late"]) == ("late", 17)
    # B1 corrects March: LN1's amount changes, the row is replaced.
    rows = [dict(fx.ROWS["loans"][0], amount="12000000")]
    fixed = receipts.submit(con, [fx.write_csv(tmp_path / "loans.csv", "loans", rows)], user="bank", inst_id="B1",
                            clock=at("2025-05-20 16:00"))
    assert fixed.ok and fixed.files[0].replaced == 1
    b1 = status_of(con, date(2025, 5, 31), "B1", "2025-03")
    assert (b1["status"], b1["corrections"], b1["submissions"]) == ("corrected", 1, 2)
    # As of before the correction, March was simply on time: the as-of day sees only what had happened.
    assert status_of(con, date(2025, 5, 19), "B1", "2025-03")["status"] == "on_time"


def test_a_resubmission_that_changes_nothing_is_not_a_correction(reported, tmp_path):
    con, _ = reported
    same = receipts.submit(con, [fx.write_csv(tmp_path / "loans.csv", "loans", fx.ROWS["loans"][:1])], user="bank",
                           inst_id="B1", clock=at("2025-05-20 16:00"))
    assert same.ok and same.files[0].unchanged == 1
    assert status_of(con, date(2025, 5, 31), "B1", "2025-03")["status"] == "on_time"


def test_status_is_scoped_in_the_data_layer(reported):
    con, _ = reported
    mine = reporting.reporting_status(con, date(2025, 4, 30), B1)
    assert set(mine["inst_id"]) == {"B1"}
    assert set(reporting.reporting_status(con, date(2025, 4, 30), REGULATOR)["inst_id"]) == {"B1", "B2", "L1"}
    assert reporting.reporting_status(con, date(2025, 4, 30), Scope("district", district_code="500101")).empty


def test_a_refused_submission_gets_a_receipt_with_every_error_and_writes_nothing(reported, tmp_path):
    con, _ = reported
    before = fx.reported(con)
    bad_rows = [dict(fx.ROWS["loans"][0], loan_id="LN9", rate="0.5", amount="-1"),
                dict(fx.ROWS["loans"][0], loan_id="LN10", signed_on="2025-13-01")]
    path = fx.write_csv(tmp_path / "loans.csv", "loans", bad_rows)
    report = receipts.submit(con, [path], user="bank", inst_id="B1", channel="api", clock=at("2025-05-06 11:00"))
    assert not report.ok and report.submission_id == "SUB-20250506-000002"
    assert fx.reported(con) == before
    receipt = receipts.receipt(con, report.submission_id, B1)
    assert not receipt.accepted
    assert len(receipt.errors) == len(report.errors) >= 3
    assert receipt.files["sha256"].tolist() == [hashlib.sha256(path.read_bytes()).hexdigest()]
    assert receipt.files["bytes"].tolist() == [path.stat().st_size]
    assert receipt.head["submitter"] == "bank" and receipt.head["channel"] == "api"
    assert receipt.head["submitted_at"] == datetime(2025, 5, 6, 11, 0)
    body = receipts.receipt_json(receipt)
    assert body["status"] == "refused" and "所有文件均未写入" in body["message"]
    assert {e["column"] for e in body["errors"]} >= {"rate", "amount", "signed_on"}


def test_an_accepted_receipt_lists_files_counts_and_periods(reported, tmp_path):
    con, _ = reported
    report = receipts.submit(con, [fx.write_csv(tmp_path / "loans.csv", "loans", fx.ROWS["loans"][:1])],
                             user="bank", inst_id="B1", clock=at("2025-05-06 11:00"))
    receipt = receipts.receipt(con, report.submission_id, B1)
    assert receipt.accepted
    assert receipt.files[["table_name", "rows_total", "rows_unchanged"]].values.tolist() == [["loans", 1, 1]]
    assert receipt.periods[["inst_id", "period"]].values.tolist() == [["B1", "2025-03"]]
    # The regulator's first import covered every institution's periods (interest through the loan's bank).
    first = receipts.receipt(con, "SUB-20250410-000001", REGULATOR)
    covered = set(map(tuple, first.periods[["inst_id", "period"]].values.tolist()))
    assert {("B1", "2025-03"), ("B1", "2025-06"), ("L1", "2025-04")} <= covered
    assert first.files["file_name"].nunique() == len(fx.ROWS)


def test_another_institutions_receipt_is_not_found(reported):
    con, _ = reported
    report = receipts.submit(con, [], user="bank", inst_id="B1", declared=["2025-04"], clock=at("2025-05-06 11:00"))
    assert receipts.receipt(con, report.submission_id, B1) is not None
    assert receipts.receipt(con, report.submission_id, B2) is None
    assert receipts.receipt(con, report.submission_id, Scope("district", district_code="500101")) is None
    assert receipts.receipt(con, report.submission_id, REGULATOR) is not None
    assert set(receipts.history(con, B2)["inst_id"].dropna()) <= {"B2"}
    assert report.submission_id not in set(receipts.history(con, B2)["submission_id"])


def test_the_receipt_downloads_as_xlsx_with_every_error_and_as_pdf(reported, tmp_path):
    con, _ = reported
    rows = [dict(fx.ROWS["loans"][0], loan_id=f"LN{i}", rate="=1+2") for i in range(20, 45)]
    report = receipts.submit(con, [fx.write_csv(tmp_path / "loans.csv", "loans", rows)], user="bank", inst_id="B1")
    receipt = receipts.receipt(con, report.submission_id, B1)
    book = openpyxl.load_workbook(io.BytesIO(receipts.receipt_xlsx(receipt)))
    assert book.sheetnames == ["回执", "文件", "报送期间", "错误清单"]
    errors = list(book["错误清单"].values)
    assert len(errors) - 1 == len(receipt.errors) >= 25
    assert all(cell.data_type != "f" for row in book["错误清单"].iter_rows() for cell in row)  # no formula reaches Excel
    facts = dict(list(book["回执"].values)[1:])
    assert facts["回执编号"] == report.submission_id and facts["报送结果"].startswith("被拒绝")
    pdf = receipts.receipt_pdf(receipt)
    assert pdf.startswith(b"%PDF-") and b"STSong-Light" in pdf


def test_every_submission_is_a_sealed_step_of_the_trail(reported, tmp_path):
    con, _ = reported
    receipts.submit(con, [fx.write_csv(tmp_path / "loans.csv", "loans", [dict(fx.ROWS["loans"][0], rate="x")])],
                    user="bank", inst_id="B1")
    steps = trail.events(con, REGULATOR)
    assert steps["action"].tolist() == ["submission", "submission"]
    assert all(v.ok for v in audit.verify_all(con))
    con.execute("update workflow_events set actor = 'someone else' where event_id = 1")
    assert not audit.verify(con, audit.WORKFLOW).ok


def test_declaring_a_period_needs_an_institution_and_a_well_formed_month(empty_con):
    with pytest.raises(ValueError, match="机构身份"):
        receipts.submit(empty_con, [], user="regulator", declared=["2025-03"])
    with pytest.raises(ValueError, match="YYYY-MM"):
        receipts.submit(empty_con, [], user="bank", inst_id="B1", declared=["2025-3"])
