"""The period an evaluation looks at: one object carried from the command line or the page
down to every query, instead of each step re-deriving its own cut-off (R10, R12, R16).

- `year`: the evaluation year;
- `until`: the year-to-date cut-off (the year's last day by default): nothing after it is
  counted, so a month-by-month race scores each month's state of the year;
- `as_of`: the day the "3个1" stages are judged (R10): by default the cut-off, or today
  while the cut-off is still to come.

V2 and D2 compare with the same period of the year before (`until_last_year`), and the 揭榜
targets of T1 are taken pro rata to the elapsed share of the year (`year_share`, 序时进度).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pyarrow as pa


@dataclass(frozen=True)
class Period:
    year: int
    until: date
    as_of: date

    @classmethod
    def of(cls, year: int, until: date | None = None, as_of: date | None = None) -> Period:
        """The period of `year` up to `until` (default 31 December), stages judged as of `as_of`
        (default the cut-off, or today while it is still to come)."""
        year = int(year)
        if until is None:
            until = date(year, 12, 31)
        elif until.year != year:
            raise ValueError(f"截止日 {until.isoformat()} 不在评价年度 {year} 年内")
        return cls(year, until, as_of or min(until, date.today()))

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def span(self) -> tuple[date, date]:
        """1 January to the cut-off."""
        return self.start, self.until

    @property
    def until_last_year(self) -> date:
        """The end of the same period a year earlier: a month's last day maps to that month's
        last day (2025-02-28 → 2024-02-29), any other day to the same date (29 February → 28)."""
        day = self.until
        days_then = calendar.monthrange(day.year - 1, day.month)[1]
        if day.day == calendar.monthrange(day.year, day.month)[1]:
            return date(day.year - 1, day.month, days_then)
        return date(day.year - 1, day.month, min(day.day, days_then))

    @property
    def year_share(self) -> float:
        """The elapsed share of the year, 1 January to the cut-off counted inclusive (1.0 on 31 December)."""
        last = date(self.year, 12, 31)
        return ((self.until - self.start).days + 1) / ((last - self.start).days + 1)

    @property
    def data_end(self) -> date:
        """The last day whose data an evaluation of the period may read: the year's end, or the
        as-of day when the stages are judged later (the data fingerprint covers up to it)."""
        return max(date(self.year, 12, 31), self.as_of)


def cut_off_table(periods: Sequence[Period]) -> pa.Table:
    """The table `cut_offs` that the queries over many cut-offs of one year read (the race's month ends;
    an evaluation is one cut-off): until, as_of, until_last_year, year_share, a row per period."""
    _check_cut_offs(periods)
    return pa.table({"until": pa.array([p.until for p in periods], pa.date32()),
                     "as_of": pa.array([p.as_of for p in periods], pa.date32()),
                     "until_last_year": pa.array([p.until_last_year for p in periods], pa.date32()),
                     "year_share": pa.array([p.year_share for p in periods], pa.float64())})


def latest(periods: Sequence[Period]) -> Period:
    """The period whose staging views (the 技改专项贷, the judged stages) every cut-off of `periods` reads
    off: the latest cut-off, judged as of the latest as-of day."""
    _check_cut_offs(periods)
    return Period(periods[0].year, max(p.until for p in periods), max(p.as_of for p in periods))


def _check_cut_offs(periods: Sequence[Period]) -> None:
    if not periods:
        raise ValueError("至少需要一个截止日")
    if len({period.year for period in periods}) != 1:
        raise ValueError(f"截止日须在同一评价年度内：{sorted({period.year for period in periods})}")
    if len({period.until for period in periods}) != len(periods):
        raise ValueError("截止日不得重复")
