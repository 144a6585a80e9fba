"""Reporting periods and their deadlines, and who has reported (issue 15 §1).

Each month's data is a reporting period ('YYYY-MM'). It is due by a deadline, by default
the 10th working day of the following month on the R9 calendar (`add_working_days(last day
of the month, n)`: the n-th working day strictly after it). Every accepted import records the
periods its rows fall in (`scoring.receipts`), so the status of each bank and leasing company
for each period follows from the submissions:

- `not_due` 未到期: nothing submitted yet, the deadline not passed;
- `on_time` 按时报送: the first accepted submission came by the deadline;
- `late` 逾期报送: it came after the deadline (working days late counted);
- `missing` 未报送: nothing submitted and the deadline passed (working days late so far);
- `corrected` 已更正: a later accepted submission replaced rows of the period.

`reporting_status(con, as_of, scope)` is the function the tracker page, the API's
`/status` and the daily digest call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from scoring import calendar, engine, trail
from scoring.access import Scope

DEFAULTS = {"deadline_working_days": "10", "first_period": "2024-06", "appeal_window_working_days": "5"}
SETTING_LABELS = {"deadline_working_days": "报送截止：次月第几个工作日",
                  "first_period": "首个报送期间（YYYY-MM）",
                  "appeal_window_working_days": "复核申请期限：发布后几个工作日"}
STATUS_LABELS = {"not_due": "未到期", "on_time": "按时报送", "late": "逾期报送", "missing": "未报送",
                 "corrected": "已更正"}


@dataclass(frozen=True)
class Settings:
    deadline_working_days: int
    first_period: str
    appeal_window_working_days: int


def settings(con: duckdb.DuckDBPyConnection) -> Settings:
    """The workflow settings: what the regulator set, else the defaults."""
    stored = dict(engine.query(con, "workflow/settings", scope=None).itertuples(index=False))
    values = {**DEFAULTS, **stored}
    return Settings(int(values["deadline_working_days"]), values["first_period"],
                    int(values["appeal_window_working_days"]))


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str, actor: str) -> None:
    """Change one setting (checked first, in Chinese) and record it in the trail. Caller holds the writer lock."""
    if key not in DEFAULTS:
        raise ValueError(f"未知设置项：{key}（可用：{'、'.join(DEFAULTS)}）")
    value = str(value).strip()
    if key == "first_period":
        month_start(value)
    elif not (value.isdigit() and 1 <= int(value) <= 30):
        raise ValueError(f"{SETTING_LABELS[key]}应为 1–30 之间的整数，实际为“{value}”")
    con.begin()
    try:
        engine.execute(con, "workflow/set_setting", key=key, value=value)
        trail.record(con, actor, "settings", subject=key, detail={"value": value})
    except BaseException:
        con.rollback()
        raise
    con.commit()


def month_start(period: str) -> date:
    """The first day of a period 'YYYY-MM'; a Chinese error for anything else."""
    try:
        year, month = period.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        raise ValueError(f"报送期间应写作 YYYY-MM（如 2026-10），实际为“{period}”") from None


def month_end(period: str) -> date:
    first = month_start(period)
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def deadline(period: str, working_days: int, cal: calendar.Calendar | None = None) -> date:
    """The day the period's data is due: the n-th working day of the following month (R9)."""
    return (cal or calendar.default_calendar()).add_working_days(month_end(period), working_days)


def periods(con: duckdb.DuckDBPyConnection, as_of: date, first: str | None = None) -> pd.DataFrame:
    """Every period from the first reporting period to the month before `as_of`, with its deadline."""
    chosen = settings(con)
    cal = calendar.Calendar.from_db(con)
    month = month_start(first or chosen.first_period)
    rows = []
    while month < as_of.replace(day=1):
        period = period_of(month)
        rows.append((period, deadline(period, chosen.deadline_working_days, cal)))
        month = month_end(period) + timedelta(days=1)
    return pd.DataFrame(rows, columns=["period", "deadline"])


def reporting_status(con: duckdb.DuckDBPyConnection, as_of: date, scope: Scope,
                     period: str | None = None) -> pd.DataFrame:
    """Reporting status as of day `as_of`: one row per bank or leasing company in `scope` and
    period (all periods so far, or only `period`): inst_id, name, kind, period, deadline,
    first_at, last_at, submissions, corrections, status, status_label, working_days_late."""
    table = periods(con, as_of)
    if period is not None:
        table = table[table["period"] == period]
    with engine.session(con) as session, session.registered("reporting_periods", table):
        frame = session.query("workflow/status", scope=scope, as_of=as_of)
    frame["status_label"] = frame["status"].map(STATUS_LABELS)
    return frame


def rows_by_month(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Reported loans and applications per bank or leasing company and month of their business
    dates (inst_id, period, rows_total): the size of each monthly report."""
    return engine.query(con, "workflow/rows_by_month", scope=None)


def overdue(status: pd.DataFrame) -> pd.DataFrame:
    """Who has not reported a period whose deadline has passed (missing), most working days late
    first, from a `reporting_status` table."""
    missing = status[status["status"] == "missing"]
    return missing.sort_values(["working_days_late", "inst_id"], ascending=[False, True]).reset_index(drop=True)


def summary(status: pd.DataFrame) -> pd.DataFrame:
    """Per period, how many institutions are in each status (for the tracker's overview)."""
    counts = status.pivot_table(index="period", columns="status", values="inst_id", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=list(STATUS_LABELS), fill_value=0)
    counts["deadline"] = status.groupby("period")["deadline"].first()
    return counts.reset_index().sort_values("period", ascending=False)


@dataclass(frozen=True)
class Correction:
    """What changed in the data a published evaluation read since it was published."""

    run_id: str
    tables: pd.DataFrame  # table, rows_then, rows_now, changed
    submissions: pd.DataFrame  # the accepted submissions after publication that touched its periods

    @property
    def corrected(self) -> bool:
        return bool(self.tables["changed"].any())

    def to_text(self) -> str:
        if not self.corrected:
            return f"评价运行 {self.run_id} 发布以来所读数据未变。"
        changed = self.tables[self.tables["changed"]]
        parts = [f"{t.table}（{t.rows_then:,} → {t.rows_now:,} 行）" for t in changed.itertuples()]
        text = f"发布后数据已更正：{'、'.join(parts)}"
        if len(self.submissions):
            text += f"；相关报送 {len(self.submissions)} 次：" + "、".join(self.submissions["submission_id"])
        return text + "。是否发布更正评价由监管部门决定。"


def corrections_since_publication(con: duckdb.DuckDBPyConnection, run_id: str) -> Correction:
    """Compare the data a published run read (its stored per-table fingerprint) with the data now,
    and list the accepted submissions after publication that covered its periods (issue 15 §1)."""
    import json

    from scoring import runs

    run = runs.load_run(con, run_id)
    head = engine.query(con, "runs/run", scope=None, run_id=run_id).iloc[0]
    then = json.loads(head["data_tables"])
    _, now = runs.data_fingerprint(con, run.period)
    names = sorted(set(then) | set(now))
    tables = pd.DataFrame({
        "table": names,
        "rows_then": [then.get(n, {}).get("rows", 0) for n in names],
        "rows_now": [now.get(n, {}).get("rows", 0) for n in names],
        "changed": [then.get(n, {}).get("checksum") != now.get(n, {}).get("checksum") for n in names],
    })
    since = run.run.published_at or run.run.created_at
    submissions = engine.query(con, "workflow/submissions_since", scope=None, since=since,
                               first_period=f"{run.year - 1}-01", last_period=f"{run.year}-12")
    return Correction(run_id, tables, submissions)
