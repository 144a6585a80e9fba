"""The demo's reporting history (issue 15 §1): one monthly submission per bank and leasing company
and month up to the demo's last day, as their reporting systems would have made them.

Most arrive in the last working days before the deadline; each institution has its own habit
of lateness, so a few are often late; the latest due month is still missing for the two least
punctual, and one month was corrected after the fact. Every submitter reads "演示数据" and the
ids start with DEMO-, so no demo receipt can be taken for a real one.
"""

from __future__ import annotations

from datetime import date, datetime, time

import numpy as np
import pandas as pd

from scoring import calendar, receipts, reporting


def seed_submissions(con, until: date, seed: int = 7) -> int:
    """Write the history of monthly submissions up to `until`; returns how many."""
    rng = np.random.default_rng(seed + 15)
    monthly = reporting.rows_by_month(con)
    due = reporting.periods(con, until)
    due = due[due["deadline"] < until]
    if monthly.empty or due.empty:
        return 0
    cal = calendar.Calendar.from_db(con)
    institutions = sorted(monthly["inst_id"].unique())
    lateness = dict(zip(institutions, rng.beta(1.2, 9, len(institutions)), strict=True))  # chance of a late month
    laggards = sorted(institutions, key=lambda i: -lateness[i])[:2]
    rows = monthly.set_index(["inst_id", "period"])["rows_total"]
    last = due["period"].max()
    heads, periods = [], []
    for inst in institutions:
        for period, deadline in due.itertuples(index=False):
            if period == last and inst in laggards:
                continue  # still missing on the demo's last day
            late = rng.random() < lateness[inst]
            day = (cal.add_working_days(deadline, int(rng.integers(1, 6))) if late
                   else _working_day_before(cal, deadline, int(rng.integers(0, 6))))
            at = datetime.combine(day, time(int(rng.integers(9, 18)), int(rng.integers(0, 60))))
            count = int(rows.get((inst, period), 0))
            heads.append(_head(f"DEMO-{period}-{inst}", inst, at, count, 0, "api" if rng.random() < 0.6 else "page"))
            periods.append((f"DEMO-{period}-{inst}", inst, period, count))
    corrected_inst, corrected_period = institutions[int(rng.integers(len(institutions)))], due["period"].iloc[-3]
    fix_day = cal.add_working_days(due[due["period"] == corrected_period]["deadline"].iloc[0], 8)
    if fix_day < until:
        replaced = max(1, int(rows.get((corrected_inst, corrected_period), 1)) // 10)
        heads.append(_head(f"DEMO-{corrected_period}-{corrected_inst}-R1", corrected_inst,
                           datetime.combine(fix_day, time(15, 30)), replaced, replaced, "page"))
        periods.append((f"DEMO-{corrected_period}-{corrected_inst}-R1", corrected_inst, corrected_period, replaced))
    receipts.store_history(con, pd.DataFrame(heads),
                           pd.DataFrame(periods, columns=["submission_id", "inst_id", "period", "rows_total"]))
    return len(heads)


def _working_day_before(cal: calendar.Calendar, day: date, n: int) -> date:
    """The working day n working days before `day` (itself a working day, the deadline) — 0 is the day."""
    working = cal.working_days
    k = int(np.searchsorted(working, np.datetime64(day, "D"))) - n
    return working[max(k, 0)].astype(date)


def _head(submission_id: str, inst: str, at: datetime, count: int, replaced: int, channel: str) -> dict:
    return {"submission_id": submission_id, "inst_id": inst, "submitter": f"{inst} 报送系统（演示数据）",
            "channel": channel, "submitted_at": at, "accepted": True, "rows_total": count,
            "rows_inserted": count - replaced, "rows_replaced": replaced, "rows_unchanged": 0, "error_count": 0}
