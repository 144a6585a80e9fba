"""The working-day calendar of R9.

A day is a working day when the State Council's schedule says so (makeup weekend days
included). Schedules come from the `chinese-calendar` package for the years it covers;
the `holidays` table (importable) overrides it and supplies later years; a year that
neither covers follows the Monday–Friday rule and is flagged provisional, a flag that
travels with every deadline computed from it.

The same day list feeds the `calendar` table (for SQL joins) and the `Calendar` class
(for Python), so the two always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar
import numpy as np
import pandas as pd

from scoring import engine

FIRST_DAY = date(2004, 1, 1)  # the package's first year
LAST_DAY = date(2030, 12, 31)  # far enough ahead for any open deadline

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _package_years() -> set[int]:
    """Years the installed chinese-calendar package has a published schedule for."""
    return {d.year for d in chinese_calendar.constants.holidays} | {
        d.year for d in chinese_calendar.constants.workdays
    }


def _package_day(day: date) -> tuple[bool, str | None]:
    working = chinese_calendar.is_workday(day)
    _, name = chinese_calendar.get_holiday_detail(day)
    label = HOLIDAY_NAMES.get(name, name) if name else None
    if label and working:
        label = f"{label}调休上班"
    return working, label


@cache
def _published_days() -> pd.DataFrame:
    """Every day of the range from the package, or the weekday rule where it has no schedule."""
    package_years = _package_years()
    rows = []
    day = FIRST_DAY
    while day <= LAST_DAY:  # ~10,000 days, computed once per process
        if day.year in package_years:
            working, name = _package_day(day)
            rows.append((day, working, name, "package"))
        else:
            rows.append((day, day.weekday() < 5, None, "weekday_rule"))
        day += timedelta(days=1)
    return pd.DataFrame(rows, columns=["day", "working", "holiday_name", "source"])


def build_days(overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every day from FIRST_DAY to LAST_DAY with its R9 status.

    `overrides` has columns day, working, note (the holidays table) and wins over the
    package. A year with any override row counts as having a schedule: its other days
    follow the weekday rule without being provisional.
    """
    frame = _published_days().copy()
    scheduled_years = set(_package_years())
    if overrides is not None and len(overrides):
        days = pd.to_datetime(overrides["day"]).dt.date
        position = pd.Index(frame["day"]).get_indexer(days)
        inside = position >= 0
        frame.loc[position[inside], "working"] = overrides["working"].to_numpy(bool)[inside]
        frame.loc[position[inside], "holiday_name"] = overrides["note"].to_numpy(object)[inside]
        frame.loc[position[inside], "source"] = "holidays"
        scheduled_years |= set(d.year for d in days)
    weekend = pd.to_datetime(frame["day"]).dt.day_of_week.to_numpy() >= 5
    frame["makeup"] = frame["working"].to_numpy(bool) & weekend
    frame["provisional"] = ~pd.Series([d.year for d in frame["day"]]).isin(scheduled_years).to_numpy()
    frame["work_ordinal"] = frame["working"].cumsum().astype("int32")
    return frame[["day", "working", "holiday_name", "makeup", "source", "provisional", "work_ordinal"]]


def refresh(con) -> None:
    """Rebuild the `calendar` table from the package and the `holidays` table.

    It opens no transaction of its own, so an import of `holidays` can rebuild the
    calendar inside the transaction that writes them: both change, or neither.
    """
    overrides = engine.query(con, "calendar/holidays", scope=None)
    engine.execute(con, "calendar/clear")
    with engine.registered(con, "new_calendar", build_days(overrides)):
        engine.execute(con, "calendar/insert_days")


@dataclass(frozen=True)
class Calendar:
    """Working days as sorted arrays: add_working_days is a binary search, not a loop."""

    days: np.ndarray  # datetime64[D], every day of the range
    working: np.ndarray  # bool per day
    provisional: np.ndarray  # bool per day

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Calendar:
        return cls(
            days=pd.to_datetime(frame["day"]).to_numpy().astype("datetime64[D]"),
            working=frame["working"].to_numpy(bool),
            provisional=frame["provisional"].to_numpy(bool),
        )

    @classmethod
    def from_db(cls, con) -> Calendar:
        return cls.from_frame(days(con))

    @property
    def working_days(self) -> np.ndarray:
        return self.days[self.working]

    def _index(self, day: date) -> int:
        i = int(np.searchsorted(self.days, np.datetime64(day, "D")))
        if i >= len(self.days) or self.days[i] != np.datetime64(day, "D"):
            raise ValueError(f"{day} 超出工作日历范围（{FIRST_DAY}–{LAST_DAY}）")
        return i

    def is_working_day(self, day: date) -> bool:
        return bool(self.working[self._index(day)])

    def is_provisional(self, day: date) -> bool:
        return bool(self.provisional[self._index(day)])

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day strictly after `day` (R9), n ≥ 1."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        self._index(day)
        working = self.working_days
        k = int(np.searchsorted(working, np.datetime64(day, "D"), side="right")) + n - 1
        if k >= len(working):
            raise ValueError(f"{day} 之后第 {n} 个工作日超出工作日历范围")
        return working[k].astype(date)


def days(con) -> pd.DataFrame:
    """The database's calendar table: day, working, provisional, one row per day in order."""
    return engine.query(con, "calendar/days", scope=None)


@cache
def default_calendar() -> Calendar:
    """The calendar of the package and the weekday rule, without a database's overrides."""
    return Calendar.from_frame(build_days())


def add_working_days(day: date, n: int) -> date:
    """The n-th working day strictly after `day` (R9). Example: 2025-09-30, 1 → 2025-10-09."""
    return default_calendar().add_working_days(day, n)


def is_working_day(day: date) -> bool:
    return default_calendar().is_working_day(day)
