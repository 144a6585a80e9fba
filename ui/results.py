"""Which evaluation a regulator page shows: a stored run of the year (the published one by
default) or a live computation that is not saved. The choice is shared by the ranking,
profile, what-if and interview pages (R12–R15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from scoring import evaluation, runs
from scoring.method import Method, load_method
from ui import data, session

LIVE = "live"
CHOICE = "result_choice"  # session key, kept outside the widget so it survives page changes


@dataclass(frozen=True)
class Result:
    label: str
    run_id: str | None
    published: bool
    institutions: pd.DataFrame
    districts: pd.DataFrame
    drop_one: pd.DataFrame
    method: Method


def year_runs(year: int) -> pd.DataFrame:
    """The stored runs of `year`, the published one first, then newest first (not cached:
    storing a run does not change the data version)."""
    with data.cursor() as cur:
        listed = runs.list_runs(cur)
    return listed[listed["year"] == year].sort_values(["published", "created_at"], ascending=[False, False])


def run_label(row) -> str:
    state = "已发布" if row.published else "草稿"
    return f"{row.run_id}（{state}，{pd.Timestamp(row.created_at):%Y-%m-%d %H:%M}）"


def choose(ctx: session.Context, live: bool = True) -> Result | None:
    """A selector of the year's evaluation results (stored runs, and a live computation when
    `live`); returns the chosen one, None when there is nothing to choose."""
    stored = year_runs(ctx.year)
    options = [*stored["run_id"], *([LIVE] if live else [])]
    if not options:
        return None
    labels = {row.run_id: run_label(row) for row in stored.itertuples()} | {LIVE: "实时测算（未保存）"}
    wanted = st.session_state.get(CHOICE, {}).get(ctx.year)
    index = options.index(wanted) if wanted in options else 0
    choice = st.selectbox("评价结果", options, index=index, format_func=labels.get, key=f"{CHOICE}_{ctx.year}_{live}",
                          help="默认显示本年度已发布的评价；“实时测算”按当前数据与默认评价办法计算，不保存。")
    st.session_state[CHOICE] = {**st.session_state.get(CHOICE, {}), ctx.year: choice}
    if choice == LIVE:
        institutions, districts, drop_one, method_text = data.load(
            live_evaluation, ctx.year, min(date(ctx.year, 12, 31), ctx.as_of), scope=None)
        return Result(labels[LIVE], None, False, institutions, districts, drop_one, load_method(method_text))
    run = data.load(runs.load_run, choice, scope=None)
    return Result(labels[choice], run.run_id, run.published, run.institutions, run.districts, run.drop_one,
                  load_method(run.method_text))


def live_evaluation(con, year: int, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str]:
    """The default method's evaluation of `year` as plain tables and the method's text
    (picklable for the cache; the Method itself holds read-only mappings)."""
    ev = evaluation.evaluate(con, year, as_of=as_of)
    return ev.institutions, ev.districts, ev.drop_one, ev.method.text
