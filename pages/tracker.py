"""报送进度 — the regulator's tracker (issue 15 §1): who has reported which month, who is late and
by how many working days (R9), who has not reported at all, corrections to data a published
evaluation used, every submission with its receipt, and the deadline settings."""

import pandas as pd
import streamlit as st

from scoring import published, receipts, reporting, writer
from ui import data, receipt, session, show

ctx = session.context("regulator")
st.title("报送进度")
with data.cursor() as cur:
    chosen = reporting.settings(cur)
    status = reporting.reporting_status(cur, ctx.as_of, ctx.scope)
st.caption(f"每月数据应于次月第 {chosen.deadline_working_days} 个工作日（R9 工作日历，含调休）前报送；"
           f"自 {chosen.first_period} 起按月统计，观察日 {ctx.as_of:%Y-%m-%d}（左侧边栏）。"
           "状态由已接受的报送自动判定：首次报送在截止日前为按时，之后为逾期；之后又替换了该月数据的记为已更正。")

if status.empty:
    show.empty("还没有到期的报送期间。")
    st.stop()

due = status[status["deadline"] < pd.Timestamp(ctx.as_of).date()]
periods = sorted(status["period"].unique(), reverse=True)
default = max(due["period"]) if len(due) else periods[0]
period = st.selectbox("报送期间", periods, index=periods.index(default), key="tracker_period")
current = status[status["period"] == period]
deadline = current["deadline"].iloc[0]
counts = current["status"].value_counts()
cols = st.columns(5)
for col, key in zip(cols, ["on_time", "late", "missing", "corrected", "not_due"], strict=True):
    col.metric(reporting.STATUS_LABELS[key], f"{int(counts.get(key, 0))} 家", border=True)
st.caption(f"{period} 的截止日：{deadline:%Y-%m-%d}；应报机构 {len(current)} 家（银行业金融机构与融资租赁机构）。")

st.subheader("尚未报送")
missing = reporting.overdue(status)
if missing.empty:
    st.success("截至观察日，所有已到期的期间都已报送。", icon=":material/task_alt:")
else:
    show.table(missing, {"inst_id": "机构编号", "name": "机构", "period": "期间", "deadline": "截止日",
                         "working_days_late": "已逾期（工作日）"}, key="missing")

st.subheader("近 12 个期间")
recent = sorted(status["period"].unique())[-12:]
grid = status[status["period"].isin(recent)]
SHORT = {"on_time": "按时", "late": "逾期", "missing": "未报", "corrected": "更正", "not_due": "未到期"}
matrix = grid.assign(cell=grid["status"].map(SHORT) + grid["working_days_late"].map(lambda d: f" {d}" if d else "")) \
    .pivot(index=["inst_id", "name"], columns="period", values="cell").reset_index()
colours = {"按时": "#E3F1E6", "逾期": "#FCE8CF", "未报": "#F8D7DA", "更正": "#DCE6F1", "未到": "#F2F2F2"}
styled = matrix.rename(columns={"inst_id": "机构编号", "name": "机构"}).style.map(
    lambda v: f"background-color: {colours.get(str(v)[:2], 'white')}", subset=recent)
st.dataframe(styled, hide_index=True, key="matrix")
st.caption("按时 = 按时报送，逾期 = 逾期报送，未报 = 未报送，更正 = 已更正；格中数字为逾期工作日数。")

run_id = data.load(published.published_run, ctx.year, scope=None)
if run_id is not None:
    st.subheader(f"{ctx.year} 年度已发布评价的数据更正")
    correction = data.load(reporting.corrections_since_publication, run_id, scope=None)
    if correction.corrected:
        st.warning(f"评价运行 {run_id}：{correction.to_text()}", icon=":material/edit_note:")
        show.table(correction.tables[correction.tables["changed"]],
                   {"table": "表", "rows_then": "发布时行数", "rows_now": "现在行数"}, key="corrected_tables")
    else:
        st.caption(correction.to_text())

st.subheader("全部报送与回执")
with data.cursor() as cur:
    history = receipts.history(cur, ctx.scope)
if history.empty:
    show.empty("还没有报送记录。")
else:
    receipt.history_table(history, "history", with_institution=True)
    receipt.receipt_panel(list(history["submission_id"]), ctx.scope, "tracker_receipt")

with st.expander("报送与复核设置", icon=":material/settings:"):
    with st.form("settings"):
        deadline_days = st.number_input(reporting.SETTING_LABELS["deadline_working_days"], 1, 30,
                                        chosen.deadline_working_days)
        first = st.text_input(reporting.SETTING_LABELS["first_period"], chosen.first_period)
        window = st.number_input(reporting.SETTING_LABELS["appeal_window_working_days"], 1, 30,
                                 chosen.appeal_window_working_days)
        saved = st.form_submit_button("保存设置", icon=":material/save:")
    if saved:
        try:
            with writer.exclusive(), data.cursor() as cur:
                for key, value in (("deadline_working_days", deadline_days), ("first_period", first),
                                   ("appeal_window_working_days", window)):
                    if str(value) != str(getattr(chosen, key)):
                        reporting.set_setting(cur, key, str(value), ctx.account.username)
            st.success("设置已保存，并记入审计。")
        except ValueError as error:
            st.error(str(error))
