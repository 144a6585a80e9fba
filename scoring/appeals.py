"""Appeals (复核) against a published evaluation, and the corrected run that supersedes it (issue 15 §4).

- The window: an institution may appeal within `appeal_window_working_days` (a setting, default 5)
  working days after the publication day, on the R9 calendar (`add_working_days(published day, n)`
  is the last day). One appeal per institution and run; it names the disputed indicators (of the
  run's method, its own peer group), gives reasons and may carry evidence (`scoring.evidence`).
- The decision: the regulator accepts or rejects it, with reasons.
- The correction: after accepting (and correcting what was wrong — reported data, a qualitative
  score), the regulator issues a corrected run (`issue_corrected_run`): the year is evaluated again
  with the same method, policy, as-of day and draws, the new run is published in place of the old
  (`scoring.runs.supersede`: the old run's results stay as they were, it is only marked superseded;
  the new run records why it exists; next year's cooperating list follows it) and the accepted
  appeals point to it. Pages, the API and the 通报 then cite the final run.
Every step is in the workflow trail; the institution sees its appeals and their status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

from scoring import calendar, engine, evidence, reporting, runs, trail, writer
from scoring.access import REGULATOR, Scope

STATUS_LABELS = {"filed": "待决定", "accepted": "已受理（复核成立）", "rejected": "不予支持"}
MAX_REASONS = 5_000


def window(con: duckdb.DuckDBPyConnection, run: runs.Result) -> tuple[date, date]:
    """The publication day and the last day an appeal may be filed (R9 working days after it)."""
    published = run.run.published_at.date()
    days = reporting.settings(con).appeal_window_working_days
    return published, calendar.Calendar.from_db(con).add_working_days(published, days)


def working_days_between(cal: calendar.Calendar, first: date, last: date) -> int:
    """Working days after `first` up to and including `last` (R9): how many are left to appeal."""
    days = cal.working_days
    return int(np.searchsorted(days, np.datetime64(last, "D"), side="right")
               - np.searchsorted(days, np.datetime64(first, "D"), side="right"))


def file_appeal(con: duckdb.DuckDBPyConnection, run_id: str, inst_id: str, disputed: list[str], reasons: str,
                attachments: list[tuple[str, bytes]], actor: str,
                clock: Callable[[], datetime] = datetime.now) -> str:
    """File an institution's appeal against a published run; returns the appeal id."""
    run = runs.load_run(con, run_id)
    if not run.published or run.run.superseded_by:
        raise ValueError(f"评价运行 {run_id} 不是当前已发布的评价，不能对其申请复核")
    own = run.institutions[run.institutions["inst_id"] == inst_id]
    if own.empty:
        raise ValueError(f"评价运行 {run_id} 中没有机构 {inst_id}")
    now = clock()
    published, last = window(con, run)
    if now.date() > last:
        raise ValueError(f"复核申请期限已过：{run_id} 于 {published:%Y-%m-%d} 发布，应在 {last:%Y-%m-%d}"
                         f"（发布后 {reporting.settings(con).appeal_window_working_days} 个工作日）前提出")
    allowed = [i.id for i in run.method.indicators_for(own["peer_group"].iloc[0])]
    wrong = [i for i in disputed if i not in allowed]
    if not disputed or wrong:
        raise ValueError("请选择有异议的指标" + (f"；{'、'.join(wrong)} 不是本机构所在组的评价指标" if wrong else ""))
    text = (reasons or "").strip()
    if not text or len(text) > MAX_REASONS:
        raise ValueError(f"请填写复核理由（不超过 {MAX_REASONS:,} 字）")
    checked = [evidence.check(name, data) for name, data in attachments]
    with writer.exclusive():
        existing = engine.query(con, "workflow/appeals", scope=Scope("institution", inst_id=inst_id), run_id=run_id)
        if len(existing):
            raise ValueError(f"本机构已对 {run_id} 提出复核申请 {existing['appeal_id'].iloc[0]}，每次评价只能申请一次")
        number = int(engine.query(con, "workflow/appeal_count", scope=None, year=run.year).iat[0, 0]) + 1
        appeal_id = f"A{run.year}-{number:03d}"
        con.begin()
        try:
            engine.execute(con, "workflow/file_appeal", appeal_id=appeal_id, run_id=run_id, inst_id=inst_id,
                           indicators=";".join(disputed), reasons=text, actor=actor, at=now)
            for name, data in attachments:
                evidence.store(con, f"A:{appeal_id}", name, data, actor, now)
            trail.record(con, actor, "appeal_filed", inst_id=inst_id, subject=appeal_id, at=now,
                         detail={"run_id": run_id, "indicators": disputed, "evidence": [c.sha256 for c in checked]})
        except BaseException:
            con.rollback()
            raise
        con.commit()
    return appeal_id


def decide(con: duckdb.DuckDBPyConnection, appeal_id: str, accept: bool, reasons: str, actor: str) -> None:
    """The regulator's decision on a filed appeal, with reasons."""
    text = (reasons or "").strip()
    if not text or len(text) > MAX_REASONS:
        raise ValueError(f"请填写决定理由（不超过 {MAX_REASONS:,} 字）")
    with writer.exclusive():
        found = engine.query(con, "workflow/appeal", scope=None, appeal_id=appeal_id)
        if found.empty:
            raise ValueError(f"复核申请 {appeal_id} 不存在")
        if found["status"].iloc[0] != "filed":
            raise ValueError(f"复核申请 {appeal_id} 已于 {found['decided_at'].iloc[0]:%Y-%m-%d %H:%M} 作出决定")
        status = "accepted" if accept else "rejected"
        con.begin()
        try:
            engine.execute(con, "workflow/decide_appeal", appeal_id=appeal_id, status=status, decision=text,
                           actor=actor, at=datetime.now())
            trail.record(con, actor, "appeal_decided", inst_id=found["inst_id"].iloc[0], subject=appeal_id,
                         detail={"status": status, "run_id": found["run_id"].iloc[0]})
        except BaseException:
            con.rollback()
            raise
        con.commit()


def appeals(con: duckdb.DuckDBPyConnection, scope: Scope, run_id: str | None = None) -> pd.DataFrame:
    """Appeals in scope (an institution its own), newest first, with their status in words."""
    frame = engine.query(con, "workflow/appeals", scope=scope, run_id=run_id)
    frame["status_label"] = frame["status"].map(STATUS_LABELS)
    return frame


def issue_corrected_run(con: duckdb.DuckDBPyConnection, run_id: str, reason: str, actor: str) -> runs.Result:
    """Evaluate the year of the published run `run_id` again on the data as it is now (same method,
    policy, as-of day and draws) and publish it in place of the old run; returns the new run."""
    text = (reason or "").strip()
    if not text:
        raise ValueError("请写明发布更正评价的原因（如所依据的复核申请和更正的数据）")
    old = runs.load_run(con, run_id)
    if not old.published or old.run.superseded_by:
        raise ValueError(f"评价运行 {run_id} 不是当前已发布的评价，不能更正")
    with writer.exclusive():
        new = runs.evaluate_and_store(con, old.year, method_text=old.method.text, draws=old.draws, as_of=old.as_of,
                                      policy_text=old.policy.text if old.policy else None)
        accepted = engine.query(con, "workflow/appeals", scope=REGULATOR, run_id=run_id)
        linked = accepted[(accepted["status"] == "accepted") & accepted["corrected_run_id"].isna()]["appeal_id"].tolist()
        reason_text = text + (f"（复核申请：{'、'.join(linked)}）" if linked else "")
        con.begin()
        try:
            runs.supersede(con, run_id, new.run_id, reason_text)
            for appeal_id in linked:
                engine.execute(con, "workflow/link_correction", appeal_id=appeal_id, run_id=new.run_id)
            trail.record(con, actor, "run_corrected", subject=new.run_id,
                         detail={"supersedes": run_id, "reason": reason_text, "appeals": linked})
        except BaseException:
            con.rollback()
            raise
        con.commit()
    return runs.load_run(con, new.run_id)
