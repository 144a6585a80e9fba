"""R9–R11 "3个1" time limits and simplified review, with numbers worked by hand.

Every deadline below is counted on the State Council's published schedules (the comments
list the working days); tests/test_calendar.py checks the calendar itself.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from scoring import bootstrap, cli, engine, sla
from scoring.access import REGULATOR, Scope
from scoring.policy import load_policy

POLICY = load_policy()  # the built-in policy file
WORKING = {"week": "working", "policy": POLICY}  # "1周" as five working days, the built-in policy's limits

E1 = "91500103000000001A"  # an enterprise in 渝中区 (500103), banking with B1
E2 = "91500101000000002B"  # an enterprise in 万州区 (500101), banking with B2
T = date.fromisoformat  # dates come back as datetime.date (scoring.engine.frames)


def _world(con) -> None:
    con.execute(
        "insert into institutions (inst_id, name, kind, local_legal_person, paid_in_capital) values ('B1', '甲银行', 'bank', false, null), ('B2', '乙银行', 'bank', true, null)"
    )
    con.execute(
        "insert into enterprises values"
        " ($e1, '甲企业', '500103', 'small', 'private', true, false, 'specialized'),"
        " ($e2, '乙企业', '500101', 'medium', 'private', true, false, 'gazelle;whitelist')",
        {"e1": E1, "e2": E2},
    )


def _apply(con, app_id, registered, connected=None, decision=None, decided=None, disbursed=None, *,
           inst="B1", ent=E1, project=None, simplified=False) -> None:
    con.execute(
        "insert into applications values ($app, $ent, $project, $inst, null, $registered, $connected,"
        " $decision, $decided, $disbursed, $simplified)",
        {"app": app_id, "ent": ent, "project": project, "inst": inst, "registered": registered,
         "connected": connected, "decision": decision, "decided": decided, "disbursed": disbursed,
         "simplified": simplified},
    )


@pytest.fixture()
def con(empty_con):
    _world(empty_con)
    return empty_con


def _row(frame: pd.DataFrame, app_id: str, stage: str) -> pd.Series:
    rows = frame[(frame["app_id"] == app_id) & (frame["stage"] == stage)]
    assert len(rows) == 1, f"{app_id}/{stage}: {len(rows)} rows"
    return rows.iloc[0]


# --- deadlines on the real calendar (R9, R10) ---------------------------------------------


def test_r10_connect_deadline_skips_the_national_day_holiday(con):
    # 2025-10-01…10-08 are off (国庆节、中秋节): one working day after 09-30 is 10-09 (R9 example).
    _apply(con, "A", "2025-09-30")
    row = _row(sla.stage_table(con, "2025-09-30", scope=REGULATOR, **WORKING), "A", "connect")
    assert row["deadline"] == T("2025-10-09")
    assert not row["provisional"]


def test_r10_approval_week_counts_the_makeup_saturday(con):
    # Connected 09-30; working days after it: 10-09 Thu (1), 10-10 Fri (2), 10-11 Sat 调休上班 (3),
    # 10-13 Mon (4), 10-14 Tue (5) → deadline 2025-10-14 (10-12 Sun is a rest day).
    _apply(con, "A", "2025-09-30", "2025-09-30")
    assert _row(sla.stage_table(con, "2025-09-30", scope=REGULATOR, **WORKING), "A", "approve")["deadline"] == T("2025-10-14")


def test_r10_spring_festival_2025_connect_and_approval(con):
    # 2025 春节: 01-28…02-04 off, 01-26 Sun and 02-08 Sat are makeup working days.
    # Registered and connected Mon 01-27: connect deadline is 02-05 Wed;
    # approval: 02-05 (1), 02-06 (2), 02-07 (3), 02-08 Sat (4), 02-10 Mon (5) → 02-10.
    _apply(con, "A", "2025-01-27", "2025-01-27")
    frame = sla.stage_table(con, "2025-01-27", scope=REGULATOR, **WORKING)
    assert _row(frame, "A", "connect")["deadline"] == T("2025-02-05")
    assert _row(frame, "A", "approve")["deadline"] == T("2025-02-10")


def test_r10_spring_festival_2026_disbursement(con):
    # 2026 春节: 02-14 Sat is a makeup working day, 02-15…02-23 off. Approved Fri 02-13:
    # 02-14 Sat (1), 02-24 Tue (2), 02-25 (3), 02-26 (4), 02-27 Fri (5) → disburse by 02-27.
    _apply(con, "A", "2026-02-09", "2026-02-09", "approved", "2026-02-13")
    assert _row(sla.stage_table(con, "2026-02-13", scope=REGULATOR, **WORKING), "A", "disburse")["deadline"] == T("2026-02-27")


def test_r10_calendar_week_setting(con):
    # week = "calendar": one week is start + 7 calendar days, carried to the next working day
    # when that is a rest day. Connected Mon 2025-03-03 → Mon 03-10. Connected 2025-09-30 →
    # 10-07 is in the holiday → 10-09. The connect stage stays one working day (10-09).
    _apply(con, "A", "2025-03-03", "2025-03-03")
    _apply(con, "B", "2025-09-30", "2025-09-30")
    frame = sla.stage_table(con, "2025-09-30", week="calendar", scope=REGULATOR, policy=POLICY)
    assert _row(frame, "A", "approve")["deadline"] == T("2025-03-10")
    assert _row(frame, "B", "approve")["deadline"] == T("2025-10-09")
    assert _row(frame, "B", "connect")["deadline"] == T("2025-10-09")


def test_r9_deadline_into_a_year_without_a_schedule_is_provisional(con):
    # 2027 has no published schedule: Monday–Friday assumed, flagged provisional.
    # Connected Wed 2026-12-30: 12-31 Thu (1), 2027-01-01 Fri (2, provisional), 01-04 (3),
    # 01-05 (4), 01-06 (5) → 2027-01-06, provisional. The connect deadline 12-31 is not.
    _apply(con, "A", "2026-12-30", "2026-12-30")
    frame = sla.stage_table(con, "2026-12-30", scope=REGULATOR, **WORKING)
    approve = _row(frame, "A", "approve")
    assert approve["deadline"] == T("2027-01-06") and approve["provisional"]
    assert not _row(frame, "A", "connect")["provisional"]


def test_r9_the_bank_s_page_is_told_of_a_provisional_time_limit(con):
    """我的“3个1” warns when any time limit is counted on a provisional calendar (R9): none while the
    stages end in 2026, one as soon as a stage's limit falls in 2027 (the case above)."""
    _apply(con, "A", "2026-11-02", "2026-11-02")
    assert not sla.any_provisional(con, "2026-12-30", scope=REGULATOR, **WORKING)
    _apply(con, "B", "2026-12-30", "2026-12-30", inst="B2", ent=E2)
    assert sla.any_provisional(con, "2026-12-30", scope=REGULATOR, **WORKING)
    assert not sla.any_provisional(con, "2026-12-30", scope=Scope("institution", inst_id="B1"), **WORKING)


def test_r10_stages_finished_late_in_a_year(con):
    """The bank's list of stages done after their limit, by the year of the limit, longest late first:
    registered 2025-09-30 (connect limit 10-09) and connected 10-10 → 1 working day late; registered
    12-01 (limit 12-02), connected 12-05 → 3 late (12-03, 12-04, 12-05); registered 2024-12-30
    (limit 12-31), connected 2025-01-02 → late, but its limit lies in 2024. An open breach is not listed."""
    _apply(con, "ONE", "2025-09-30", "2025-10-10")
    _apply(con, "THREE", "2025-12-01", "2025-12-05")
    _apply(con, "LAST_YEAR", "2024-12-30", "2025-01-02")
    _apply(con, "OPEN", "2025-12-01")
    late = sla.finished_late(con, "2025-12-31", 2025, scope=REGULATOR, **WORKING)
    assert late[["app_id", "stage", "working_days_late", "ent_name"]].values.tolist() == [
        ["THREE", "connect", 3, "甲企业"], ["ONE", "connect", 1, "甲企业"]]
    assert sla.finished_late(con, "2025-12-31", 2024, scope=REGULATOR, **WORKING)["app_id"].tolist() == ["LAST_YEAR"]
    assert sla.finished_late(con, "2025-12-31", 2025, scope=Scope("institution", inst_id="B2"), **WORKING).empty


# --- statuses (R10) ----------------------------------------------------------------------


def test_r10_met_on_the_deadline_day_and_breached_one_day_late(con):
    # Registered 09-30, connect deadline 10-09: connected 10-09 is met, 10-10 is one working day late.
    _apply(con, "ON_TIME", "2025-09-30", "2025-10-09")
    _apply(con, "LATE", "2025-09-30", "2025-10-10")
    frame = sla.stage_table(con, "2025-10-10", scope=REGULATOR, **WORKING)
    on_time, late = _row(frame, "ON_TIME", "connect"), _row(frame, "LATE", "connect")
    assert on_time["status"] == "met" and on_time["working_days_used"] == 1
    assert late["status"] == "breached" and late["working_days_late"] == 1
    assert late["working_days_used"] == 2  # 10-09, 10-10


@pytest.mark.parametrize(
    ("as_of", "status", "left"),
    [
        # Connected Mon 2025-03-03, approval deadline Mon 03-10 (03-04…03-07, 03-10).
        ("2025-03-04", "open", 4),  # 03-05, 03-06, 03-07, 03-10 remain
        ("2025-03-06", "open", 2),  # 03-07, 03-10
        ("2025-03-07", "at_risk", 1),  # only Monday remains
        ("2025-03-08", "at_risk", 1),  # Saturday: still only Monday
        ("2025-03-10", "at_risk", 0),  # today is the last day
    ],
)
def test_r10_open_and_at_risk_by_working_days_left(con, as_of, status, left):
    _apply(con, "A", "2025-03-03", "2025-03-03")
    row = _row(sla.stage_table(con, as_of, scope=REGULATOR, **WORKING), "A", "approve")
    assert (row["status"], row["working_days_left"]) == (status, left)


def test_r10_not_done_after_the_deadline_is_breached(con):
    # Approval deadline Mon 2025-03-10; as of Tue 03-11, undecided: one working day late.
    _apply(con, "A", "2025-03-03", "2025-03-03")
    row = _row(sla.stage_table(con, "2025-03-11", scope=REGULATOR, **WORKING), "A", "approve")
    assert (row["status"], row["working_days_late"]) == ("breached", 1)
    assert pd.isna(row["working_days_left"])


def test_r10_withdrawn_before_the_stage_is_not_applicable(con):
    # Registered Mon 03-03, withdrawn Tue 03-04 (the connect deadline) before any connection:
    # connect n/a; approval and disbursement will never start: n/a as well.
    _apply(con, "A", "2025-03-03", None, "withdrawn", "2025-03-04")
    frame = sla.stage_table(con, "2025-03-20", scope=REGULATOR, **WORKING)
    assert list(frame["status"]) == ["not_applicable"] * 3
    assert list(frame["stage"]) == list(sla.STAGES)


def test_r10_withdrawn_after_the_deadline_stays_breached(con):
    # Connect deadline Tue 03-04 passed unconnected; the withdrawal on 03-06 does not erase it.
    _apply(con, "A", "2025-03-03", None, "withdrawn", "2025-03-06")
    row = _row(sla.stage_table(con, "2025-03-20", scope=REGULATOR, **WORKING), "A", "connect")
    assert (row["status"], row["working_days_late"]) == ("breached", 2)  # 03-05, 03-06


def test_r10_rejected_application_has_no_disbursement(con):
    # Connected Mon 03-03, rejected Fri 03-07 (deadline 03-10): approval met, disbursement n/a.
    _apply(con, "A", "2025-03-03", "2025-03-03", "rejected", "2025-03-07")
    frame = sla.stage_table(con, "2025-03-20", scope=REGULATOR, **WORKING)
    assert _row(frame, "A", "approve")["status"] == "met"
    disburse = _row(frame, "A", "disburse")
    assert disburse["status"] == "not_applicable" and pd.isna(disburse["deadline"])


def test_r10_withdrawal_without_a_date_is_known_at_every_as_of_day(con):
    # No withdrawal day recorded: the stages are n/a from registration on (connect deadline 03-04).
    _apply(con, "A", "2025-03-03", None, "withdrawn", None)
    assert list(sla.stage_table(con, "2025-03-20", scope=REGULATOR, **WORKING)["status"]) == ["not_applicable"] * 3


def test_r10_decision_without_a_connection_date_leaves_the_gap_as_a_connect_breach(con):
    # Approved 03-07 with no connection recorded: the approval stage has no start and is not
    # listed; connect (deadline 03-04) is breached, 3 working days late on 03-07.
    _apply(con, "A", "2025-03-03", None, "approved", "2025-03-07")
    frame = sla.stage_table(con, "2025-03-07", scope=REGULATOR, **WORKING)
    assert list(frame["stage"]) == ["connect", "disburse"]
    assert (frame.iloc[0]["status"], frame.iloc[0]["working_days_late"]) == ("breached", 3)
    assert frame.iloc[1]["deadline"] == T("2025-03-14")  # 03-10…03-14


def test_r10_as_of_in_the_past_hides_later_milestones(con):
    # Done in full: connected 03-04, approved 03-10, disbursed 03-12.
    _apply(con, "A", "2025-03-03", "2025-03-04", "approved", "2025-03-10", "2025-03-12")
    assert len(sla.stage_table(con, "2025-03-02", scope=REGULATOR, **WORKING)) == 0  # not registered yet
    before = sla.stage_table(con, "2025-03-03", scope=REGULATOR, **WORKING)  # registered, nothing else known
    assert list(before["stage"]) == ["connect"]
    assert before.iloc[0]["status"] == "at_risk" and pd.isna(before.iloc[0]["done_on"])
    middle = sla.stage_table(con, "2025-03-07", scope=REGULATOR, **WORKING)  # connected, decision not yet taken
    assert list(middle["stage"]) == ["connect", "approve"]
    assert _row(middle, "A", "approve")["status"] == "open"  # deadline 03-11: 03-10, 03-11 left
    after = sla.stage_table(con, "2025-03-12", scope=REGULATOR, **WORKING)
    assert list(after["status"]) == ["met", "met", "met"]


# --- compliance (R10) on a small fixture -----------------------------------------------------


@pytest.fixture()
def november(con):
    """Four applications in November 2025 (no holidays) and one in October.

    B1 / E1 (500103):
      N1 reg Mon 11-03, conn 11-04 (deadline 11-04, met); approved 11-11 (deadline
         11-05,06,07,10,11 → 11-11, met); disbursed 11-19 (deadline 11-12,13,14,17,18 →
         11-18, breached).
      N2 reg 11-03, conn 11-05 (deadline 11-04, breached); rejected 11-07 (deadline 11-12,
         met); disbursement n/a without a deadline.
      O1 reg Mon 10-13, conn 10-14 (met); withdrawn 10-15 (approval deadline 10-21: n/a).
    B2 / E2 (500101):
      N3 reg Mon 11-10, conn 11-11 (met); approved 11-20 (deadline 11-18, breached);
         not disbursed, deadline 11-21,24,25,26,27 → 11-27, breached as of 11-28.
      N4 reg Thu 11-27, not connected: deadline 11-28, at risk as of 11-28.
    """
    _apply(con, "N1", "2025-11-03", "2025-11-04", "approved", "2025-11-11", "2025-11-19")
    _apply(con, "N2", "2025-11-03", "2025-11-05", "rejected", "2025-11-07")
    _apply(con, "O1", "2025-10-13", "2025-10-14", "withdrawn", "2025-10-15")
    _apply(con, "N3", "2025-11-10", "2025-11-11", "approved", "2025-11-20", inst="B2", ent=E2)
    _apply(con, "N4", "2025-11-27", inst="B2", ent=E2)
    return con


AS_OF = date(2025, 11, 28)
NOVEMBER = (date(2025, 11, 1), date(2025, 11, 30))


def _rates(frame: pd.DataFrame, key: str) -> dict:
    return dict(zip(frame[key], frame["compliance_rate"]))


def test_r10_compliance_per_institution(november):
    frame = sla.compliance(november, AS_OF, by=("inst_id",), period=NOVEMBER, scope=REGULATOR, **WORKING)
    assert list(frame.columns) == ["inst_id", "met", "breached", "pending", "not_applicable", "compliance_rate"]
    b1, b2 = frame.iloc[0], frame.iloc[1]
    # B1: met N1 connect, N1 approve, N2 approve = 3; breached N1 disburse, N2 connect = 2 → 3/5.
    assert (b1["met"], b1["breached"], b1["pending"]) == (3, 2, 0)
    assert b1["compliance_rate"] == pytest.approx(3 / 5)
    # B2: met N3 connect = 1; breached N3 approve, N3 disburse = 2; N4 pending → 1/3.
    assert (b2["met"], b2["breached"], b2["pending"]) == (1, 2, 1)
    assert b2["compliance_rate"] == pytest.approx(1 / 3)


def test_r10_compliance_overall_by_stage_district_and_month(november):
    overall = sla.compliance(november, AS_OF, by=(), period=NOVEMBER, scope=REGULATOR, **WORKING)
    assert list(overall.columns) == ["met", "breached", "pending", "not_applicable", "compliance_rate"]
    assert overall.iloc[0]["compliance_rate"] == pytest.approx(4 / 8)
    by_stage = _rates(sla.compliance(november, AS_OF, by=("stage",), period=NOVEMBER, scope=REGULATOR, **WORKING), "stage")
    # connect: N1 met, N2 breached, N3 met (N4 pending) → 2/3; approve: N1, N2 met, N3 breached
    # → 2/3; disburse: N1, N3 breached → 0.
    assert by_stage == pytest.approx({"connect": 2 / 3, "approve": 2 / 3, "disburse": 0.0})
    by_district = _rates(sla.compliance(november, AS_OF, by=("district_code",), period=NOVEMBER, scope=REGULATOR, **WORKING), "district_code")
    assert by_district == pytest.approx({"500103": 3 / 5, "500101": 1 / 3})
    # Without a period, October joins: O1 connect met (10-14), O1 approval n/a (10-21).
    by_month = sla.compliance(november, AS_OF, by=("month",), scope=REGULATOR, **WORKING)
    october = by_month[by_month["month"] == "2025-10"].iloc[0]
    assert (october["met"], october["breached"], october["not_applicable"]) == (1, 0, 1)
    assert _rates(by_month, "month") == pytest.approx({"2025-10": 1.0, "2025-11": 0.5})


def test_r10_compliance_is_none_when_nothing_was_judged(november):
    # As of 11-27 only N4 connect (deadline 11-28) falls on 11-28, still open.
    frame = sla.compliance(november, date(2025, 11, 27), by=(), period=(date(2025, 11, 28), date(2025, 11, 28)), scope=REGULATOR, **WORKING)
    assert frame.iloc[0]["pending"] == 1 and pd.isna(frame.iloc[0]["compliance_rate"])


def test_r10_compliance_rejects_an_unknown_grouping(november):
    with pytest.raises(ValueError, match="不支持的分组"):
        sla.compliance(november, AS_OF, by=("ent_id",), scope=REGULATOR, **WORKING)


def test_r10_morning_lists(november):
    lists = sla.at_risk_and_breached(november, AS_OF, scope=REGULATOR, **WORKING)
    # Due: only N4 connect (deadline today, 0 working days left).
    assert list(zip(lists.due["app_id"], lists.due["stage"], lists.due["working_days_left"])) == [
        ("N4", "connect", 0)
    ]
    assert lists.due.iloc[0]["ent_name"] == "乙企业"
    # Outstanding breach: N3 disbursement, deadline Thu 11-27, one working day late on Fri 11-28.
    # N1 disbursement was breached but is done: compliance counts it, the list does not.
    assert list(zip(lists.overdue["app_id"], lists.overdue["stage"], lists.overdue["working_days_late"])) == [
        ("N3", "disburse", 1)
    ]
    # Mon 12-01: N4 (no decision yet) missed its connect deadline 11-28 by one working day,
    # N3 is two behind (11-28, 12-01).
    later = sla.at_risk_and_breached(november, date(2025, 12, 1), scope=REGULATOR, **WORKING).overdue
    assert list(zip(later["app_id"], later["stage"], later["working_days_late"])) == [
        ("N3", "disburse", 2), ("N4", "connect", 1)
    ]


# --- scoping ---------------------------------------------------------------------------------


def test_scope_institution_sees_only_its_rows(november):
    mine = Scope("institution", inst_id="B1")
    assert set(sla.stage_table(november, AS_OF, scope=mine, **WORKING)["app_id"]) == {"N1", "N2", "O1"}
    assert list(sla.compliance(november, AS_OF, period=NOVEMBER, scope=mine, **WORKING)["inst_id"]) == ["B1"]
    lists = sla.at_risk_and_breached(november, AS_OF, scope=mine, **WORKING)
    assert lists.due.empty and lists.overdue.empty


def test_scope_district_sees_its_enterprises_rows(november):
    wanzhou = Scope("district", district_code="500101")
    assert set(sla.stage_table(november, AS_OF, scope=wanzhou, **WORKING)["app_id"]) == {"N3", "N4"}
    overall = sla.compliance(november, AS_OF, by=(), period=NOVEMBER, scope=wanzhou, **WORKING)
    assert overall.iloc[0]["compliance_rate"] == pytest.approx(1 / 3)


# --- R11 simplified review and S2 cycle days ----------------------------------------------------


@pytest.fixture()
def approvals(con):
    """Approvals of 2025 with eligible and ineligible projects (R11)."""
    con.execute(
        "insert into projects (project_id, ent_id, district_code, total_investment, green, equipment_only) values"
        " ('GREEN', $e1, '500103', 5000000, true, false),"
        " ('EQUIP', $e1, '500103', 5000000, false, true),"
        " ('PLAIN1', $e1, '500103', 5000000, false, false),"
        " ('PLAIN2', $e2, '500101', 5000000, false, false)",
        {"e1": E1, "e2": E2},
    )
    day = "2025-06-03"
    # B1 (E1 not whitelisted): GREEN simplified, EQUIP not, PLAIN1 simplified (ineligible),
    # PLAIN1 not; a rejection and a 2024 approval that do not count.
    _apply(con, "R1", day, day, "approved", day, project="GREEN", simplified=True)
    _apply(con, "R2", day, day, "approved", day, project="EQUIP")
    _apply(con, "R3", day, day, "approved", day, project="PLAIN1", simplified=True)
    _apply(con, "R4", day, day, "approved", day, project="PLAIN1")
    _apply(con, "R5", day, day, "rejected", day, project="GREEN", simplified=True)
    _apply(con, "R6", "2024-12-31", "2024-12-31", "approved", "2024-12-31", project="GREEN", simplified=True)
    # B2 (E2 whitelisted): every approval is eligible, with or without a project.
    _apply(con, "R7", day, day, "approved", day, inst="B2", ent=E2, project="PLAIN2", simplified=True)
    _apply(con, "R8", day, day, "approved", day, inst="B2", ent=E2, simplified=True)
    _apply(con, "R9", day, day, "approved", day, inst="B2", ent=E2, project="PLAIN2")
    return con


YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


def test_r11_simplified_review_share_by_hand(approvals):
    frame = sla.simplified_review_share(approvals, YEAR_2025, scope=REGULATOR).set_index("inst_id")
    # B1: approvals R1–R4 = 4, eligible R1, R2 = 2, simplified R1 = 1 → 1/2; R3 simplified while ineligible.
    assert tuple(frame.loc["B1", ["approvals", "eligible_approvals", "simplified", "simplified_ineligible"]]) == (
        4, 2, 1, 1
    )
    assert frame.loc["B1", "simplified_share"] == pytest.approx(1 / 2)
    # B2: R7, R8, R9 eligible (whitelist), R7 and R8 simplified → 2/3.
    assert frame.loc["B2", "simplified_share"] == pytest.approx(2 / 3)


def test_r11_scope(approvals):
    frame = sla.simplified_review_share(approvals, YEAR_2025, scope=Scope("institution", inst_id="B2"))
    assert list(frame["inst_id"]) == ["B2"]


def test_s2_median_working_days_from_registration_to_disbursement(con):
    # B1: 2025-09-30 → 10-14: 10-09, 10-10, 10-11 (Sat 调休), 10-13, 10-14 = 5;
    #     2025-11-03 → 11-19: 11-04…07 (4), 11-10…14 (5), 11-17…19 (3) = 12;
    #     2025-01-27 → 02-10: 02-05, 02-06, 02-07, 02-08 (Sat 调休), 02-10 = 5.  Median of 5, 5, 12 = 5.
    # B2: 2025-03-03 → 03-10 = 5; 2025-03-03 → 03-17 = 10.  Median (5 + 10) / 2 = 7.5.
    # Not counted: a 2026 disbursement, a withdrawn application with a disbursement date.
    for app, registered, disbursed, inst, decision in [
        ("C1", "2025-09-30", "2025-10-14", "B1", "approved"),
        ("C2", "2025-11-03", "2025-11-19", "B1", "approved"),
        ("C3", "2025-01-27", "2025-02-10", "B1", "approved"),
        ("C4", "2025-03-03", "2025-03-10", "B2", "approved"),
        ("C5", "2025-03-03", "2025-03-17", "B2", "approved"),
        ("C6", "2025-12-29", "2026-01-05", "B2", "approved"),
        ("C7", "2025-03-03", "2025-03-04", "B2", "withdrawn"),
    ]:
        _apply(con, app, registered, registered, decision, registered, disbursed, inst=inst)
    frame = sla.registration_to_disbursement_days(con, YEAR_2025, scope=REGULATOR)
    assert list(frame["inst_id"]) == ["B1", "B2"]
    assert list(frame["disbursements"]) == [3, 2]
    assert list(frame["median_working_days"]) == pytest.approx([5.0, 7.5])
    scoped = sla.registration_to_disbursement_days(con, YEAR_2025, scope=Scope("district", district_code="500101"))
    assert scoped.empty  # all of these are E1's (渝中区)


# --- materialisation, settings, labels, CLI ---------------------------------------------------


def test_materialised_table_matches_the_stage_table(november):
    with engine.session(november) as session:
        direct = sla.stage_table(session, AS_OF, scope=REGULATOR, week="calendar", policy=POLICY)
        stored = engine.to_pandas(session.backend.con.sql("select * exclude (stage_order, book_deadline, judged_on) from sla_stages")
                                  .to_arrow_table())
    pd.testing.assert_frame_equal(stored.sort_values(["app_id", "stage"], ignore_index=True),
                                  direct.sort_values(["app_id", "stage"], ignore_index=True))
    with pytest.raises(ValueError, match="表名不合法"):
        with engine.session(november) as session:
            session.materialise("x; drop table applications", "sla/stages", scope=REGULATOR,
                                **sla.stage_params(AS_OF, week="calendar", policy=POLICY))


def test_week_setting_is_checked(con):
    with pytest.raises(ValueError, match="sla.week"):
        sla.stage_table(con, AS_OF, week="fortnight", scope=REGULATOR, policy=POLICY)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_cli_sla_writes_the_stage_table(tmp_path, suffix, capsys):
    path = tmp_path / "sla.duckdb"
    con = bootstrap.connect(path, demo_if_missing=False)
    _world(con)
    _apply(con, "A", "2025-09-30", "2025-10-10")  # connect deadline 10-09: breached
    con.close()
    out = tmp_path / f"sla{suffix}"
    assert cli.main(["sla", "--db", str(path), "--as-of", "2025-10-10", "--out", str(out)]) == 0
    assert "已写出 2 行" in capsys.readouterr().out
    frame = pd.read_csv(out, encoding="utf-8-sig") if suffix == ".csv" else pd.read_excel(out, sheet_name="sla")
    assert list(frame["stage"]) == ["connect", "approve"]
    assert list(frame["status"]) == ["breached", "open"]
    assert str(frame.iloc[0]["deadline"])[:10] == "2025-10-09"


def test_the_stage_listing_streamed_in_batches_is_the_whole_query_s(demo_path, copy_of, monkeypatch):
    """`stage_table` streams its millions of rows (`Session.streamed`): over many batches its Arrow table (the form
    the annual job keeps until its writer) and its frame are the ones the whole query gives, values, types and
    order."""
    monkeypatch.setattr(engine, "STREAMED_BATCH_ROWS", 1_000)
    day, con = date(2026, 11, 27), copy_of(demo_path)  # its own file: another module's fixture may hold the demo's
    streamed = sla.stage_table(con, day, scope=REGULATOR, **WORKING, arrow=True)
    frame = sla.stage_table(con, day, scope=REGULATOR, **WORKING)
    with engine.session(con, materialise=False) as session:
        whole = session.arrow("sla/stages", scope=REGULATOR, **sla.prepare(session, day, **WORKING))
    assert streamed.num_rows > 10 * engine.STREAMED_BATCH_ROWS and streamed.column("deadline").num_chunks > 10
    assert streamed.equals(whole) and streamed.schema.field("deadline").type == pa.date32()
    pd.testing.assert_frame_equal(frame, engine.to_pandas(whole))
