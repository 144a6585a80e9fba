"""R9 — the working-day calendar, checked against the State Council's published schedules."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import bootstrap, calendar, db
from scoring.calendar import Calendar, add_working_days, is_working_day

# 国务院办公厅 holiday notices: (makeup working days, days off) of the long holidays.
SCHEDULES = {
    "2024 春节": (["2024-02-04", "2024-02-18"], ("2024-02-10", "2024-02-17")),
    "2024 劳动节": (["2024-04-28", "2024-05-11"], ("2024-05-01", "2024-05-05")),
    "2024 国庆节": (["2024-09-29", "2024-10-12"], ("2024-10-01", "2024-10-07")),
    "2025 春节": (["2025-01-26", "2025-02-08"], ("2025-01-28", "2025-02-04")),
    "2025 国庆节、中秋节": (["2025-09-28", "2025-10-11"], ("2025-10-01", "2025-10-08")),
    "2026 元旦": (["2026-01-04"], ("2026-01-01", "2026-01-03")),
    "2026 春节": (["2026-02-14", "2026-02-28"], ("2026-02-15", "2026-02-23")),
    "2026 国庆节": (["2026-09-20", "2026-10-10"], ("2026-10-01", "2026-10-07")),
}


def _days(first: str, last: str):
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    while day <= end:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("name", SCHEDULES)
def test_r9_makeup_weekend_days_are_working_days(name):
    makeups, _ = SCHEDULES[name]
    for text in makeups:
        day = date.fromisoformat(text)
        assert day.weekday() >= 5, f"{day} should be a weekend day made a working day"
        assert is_working_day(day), f"{name}: {day} 调休上班"


@pytest.mark.parametrize("name", SCHEDULES)
def test_r9_long_holidays_are_not_working_days(name):
    _, (first, last) = SCHEDULES[name]
    off = [day for day in _days(first, last) if is_working_day(day)]
    assert off == [], f"{name}: {off} should be days off"


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        # POLICY.md R9's own example: 10-01…10-08 off, so the next working day is 10-09.
        ("2025-09-30", 1, "2025-10-09", "2025 国庆"),
        # 10-09 Thu, 10-10 Fri, 10-11 Sat (makeup), 10-13 Mon, 10-14 Tue.
        ("2025-09-30", 5, "2025-10-14", "2025 国庆 + 调休周六"),
        # 2024-02-09 (除夕) is officially a working day; 02-10…02-17 off; 02-18 is a makeup Sunday.
        ("2024-02-09", 1, "2024-02-18", "2024 春节"),
        # 2026-02-13 Fri → Sat 02-14 is a makeup day; then 02-15…02-23 off → Tue 02-24.
        ("2026-02-13", 1, "2026-02-14", "2026 春节调休"),
        ("2026-02-13", 2, "2026-02-24", "2026 春节"),
        # 2026 National Day 10-01…10-07 off: from 09-30 the next working day is Thu 10-08.
        ("2026-09-30", 1, "2026-10-08", "2026 国庆"),
        # 2024 National Day: from 09-30 (Mon): 10-08 Tue, 10-09, 10-10, 10-11, 10-12 (makeup Sat).
        ("2024-09-30", 5, "2024-10-12", "2024 国庆 + 调休周六"),
        # A plain week: Fri 2025-03-07 + 5 = Fri 2025-03-14.
        ("2025-03-07", 5, "2025-03-14", "普通周"),
        # From a Saturday that is not a working day, counting starts on Monday.
        ("2025-03-08", 1, "2025-03-10", "周六起算"),
    ],
)
def test_r9_add_working_days_across_holidays(start, n, expected, why):
    assert add_working_days(date.fromisoformat(start), n) == date.fromisoformat(expected), why


def test_r9_2027_without_schedule_is_provisional_weekday_rule(empty_con):
    cal = Calendar.from_db(empty_con)
    new_year = date(2027, 1, 1)  # a Friday: the weekday rule calls it a working day
    assert cal.is_provisional(new_year)
    assert cal.is_working_day(new_year)
    assert not cal.is_provisional(date(2026, 12, 31))


def test_r9_loading_a_2027_schedule_changes_the_answer(empty_con):
    before = Calendar.from_db(empty_con)
    assert before.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)

    empty_con.execute(
        "insert into holidays values ('2027-01-01', false, '元旦'), ('2027-01-02', false, '元旦')"
    )
    calendar.refresh(empty_con)
    after = Calendar.from_db(empty_con)
    assert not after.is_working_day(date(2027, 1, 1))
    assert not after.is_provisional(date(2027, 1, 1)), "a year with a loaded schedule is no longer provisional"
    assert not after.is_provisional(date(2027, 6, 1))
    assert after.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_r9_holidays_table_overrides_the_package(empty_con):
    # An administrator corrects a day the package covers: 2026-03-02 (Mon) declared off.
    empty_con.execute("insert into holidays values ('2026-03-02', false, '临时调整')")
    calendar.refresh(empty_con)
    row = empty_con.execute(
        "select working, holiday_name, source from calendar where day = '2026-03-02'"
    ).fetchone()
    assert row == (False, "临时调整", "holidays")


def test_r9_makeup_flag_and_names(empty_con):
    rows = dict(
        (str(day), (working, name, makeup))
        for day, working, name, makeup in empty_con.execute(
            "select day, working, holiday_name, makeup from calendar "
            "where day in ('2025-10-11', '2025-10-01', '2025-10-12')"
        ).fetchall()
    )
    assert rows["2025-10-11"] == (True, "国庆节调休上班", True)
    assert rows["2025-10-01"] == (False, "国庆节", False)
    assert rows["2025-10-12"] == (False, None, False)


def test_r9_work_ordinal_counts_working_days(empty_con):
    # 2025-09-29 and 09-30 are working, 10-01…10-08 are not, 10-09 is.
    ordinals = dict(
        (str(d), o)
        for d, o in empty_con.execute(
            "select day, work_ordinal from calendar where day in ('2025-09-30', '2025-10-05', '2025-10-09')"
        ).fetchall()
    )
    assert ordinals["2025-10-05"] == ordinals["2025-09-30"]
    assert ordinals["2025-10-09"] == ordinals["2025-09-30"] + 1


days = st.dates(min_value=date(2023, 1, 1), max_value=date(2028, 6, 30))


@settings(max_examples=200, deadline=None)
@given(day=days, n=st.integers(min_value=1, max_value=30))
def test_r9_add_working_days_is_increasing_and_lands_on_working_days(day, n):
    here, further = add_working_days(day, n), add_working_days(day, n + 1)
    assert here > day
    assert further > here
    assert is_working_day(here) and is_working_day(further)


@settings(max_examples=60, deadline=None)
@given(probes=st.lists(st.tuples(days, st.integers(min_value=1, max_value=15)), min_size=1, max_size=20))
def test_r9_python_and_sql_agree(probes, empty_con_module):
    con = empty_con_module
    probe = pd.DataFrame(probes, columns=["day", "n"]).drop_duplicates()
    con.register("calendar_probe", probe)
    result = con.execute(db.sql("calendar/add_working_days")).df()
    con.unregister("calendar_probe")
    cal = Calendar.from_db(con)
    assert len(result) == len(probe)
    for row in result.itertuples():
        expected = cal.add_working_days(row.day.date() if hasattr(row.day, "date") else row.day, row.n)
        assert pd.Timestamp(row.result).date() == expected
        assert row.provisional == (cal.is_provisional(expected) or cal.is_provisional(pd.Timestamp(row.day).date()))


@pytest.fixture(scope="module")
def empty_con_module():
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    yield con
    con.close()


def test_r9_n_below_one_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 2), 0)
