"""Which evaluation a regulator page shows: a stored run of the year (the published one by
default) or a live computation that is not saved. The choice is shared by the ranking,
profile, what-if and interview pages (R12–R15). Both are the engine's one `Result` type,
so a page draws a live and a stored evaluation with the same code."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring import evaluation, published, runs
from scoring.evaluation import Result
from scoring.period import Period
from ui import data, session, show

LIVE = "live"
CHOICE = "result_choice"  # session key, kept outside the widget so it survives page changes


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
    """A selector of the year's evaluation results (stored runs, and a live computation with
    the context's method and policy when `live`); returns the chosen one, None when there is
    nothing to choose."""
    stored = year_runs(ctx.year)
    options = [*stored["run_id"], *([LIVE] if live else [])]
    if not options:
        return None
    labels = {row.run_id: run_label(row) for row in stored.itertuples()} | {LIVE: "实时测算（未保存）"}
    wanted = st.session_state.get(CHOICE, {}).get(ctx.year)
    index = options.index(wanted) if wanted in options else 0
    choice = st.selectbox("评价结果", options, index=index, format_func=labels.get, key=f"{CHOICE}_{ctx.year}_{live}",
                          help="默认显示本年度已发布的评价；“实时测算”按当前数据与当前评价办法、政策参数计算，不保存。")
    st.session_state[CHOICE] = {**st.session_state.get(CHOICE, {}), ctx.year: choice}
    if choice == LIVE:
        return data.load_shared(live_evaluation, ctx.evaluation_period, ctx.method.text, ctx.policy.text, scope=None)
    return data.load_shared(runs.load_run, choice, scope=None)


def key(result: Result) -> tuple:
    """What identifies a result for page-level caches (`data.derived`): its run, or for a live
    computation its period, method and policy."""
    return (result.run_id,) if result.run_id else ("live", result.period, result.method.sha256,
                                                    result.policy.sha256 if result.policy else None)


def live_evaluation(con, period: Period, method_text: str, policy_text: str) -> Result:
    """The evaluation of `period` under the method and policy texts (texts key the cache)."""
    return evaluation.evaluate(con, period, method_text, policy=policy_text)


def published_or_stop(year: int, unpublished: str) -> tuple[str, Result]:
    """The year's published run id and run, for the appeal pages; otherwise `unpublished` is shown
    and the page stops (appeals exist only against a published evaluation)."""
    run_id = data.load(published.published_run, year, scope=None)
    if run_id is None:
        show.empty(unpublished)
        st.stop()
    return run_id, data.load(runs.load_run, run_id, scope=None)
