"""复核申请 — an institution's appeal (复核) against the published evaluation (issue 15 §4): within the
window after publication it names the indicators it disputes, with reasons and evidence; it then
sees the status of its appeal, the regulator's decision and, when accepted, the corrected run."""

from datetime import datetime

import streamlit as st

from scoring import appeals, calendar, evidence, published, reporting, runs
from ui import data, results, session, show

ctx = session.context("institution")
st.title(f"复核申请 · {ctx.year} 年度")
run_id, run = results.published_or_stop(ctx.year, f"{ctx.year} 年度评价尚未发布；发布后可在复核期限内申请复核。")
with data.cursor() as cur:
    published_day, last_day = appeals.window(cur, run)
    mine = appeals.appeals(cur, ctx.scope)
    row = published.my_result(cur, run_id, ctx.scope)
    days = reporting.settings(cur).appeal_window_working_days
    cal = calendar.Calendar.from_db(cur)
today = datetime.now().date()
open_window = today <= last_day
cols = st.columns(3)
cols[0].metric("当前发布的评价", run_id, border=True,
               help=f"更正评价：{run.run.correction_reason}" if run.run.supersedes else None)
cols[1].metric("发布日", f"{published_day:%Y-%m-%d}", border=True)
cols[2].metric("复核申请截止", f"{last_day:%Y-%m-%d}", border=True, help=f"发布后 {days} 个工作日（R9 工作日历）")
if run.run.supersedes:
    st.info(f"{run_id} 是更正评价，取代 {run.run.supersedes}：{run.run.correction_reason}", icon=":material/published_with_changes:")

st.subheader("本机构的复核申请")
if mine.empty:
    show.empty("本机构尚未提出复核申请。")
else:
    show.table(mine.assign(filed_at=mine["filed_at"].dt.strftime("%Y-%m-%d %H:%M"),
                           decided_at=mine["decided_at"].dt.strftime("%Y-%m-%d %H:%M")),
               {"appeal_id": "申请编号", "run_id": "评价运行", "indicators": "有异议的指标", "filed_at": "提出时间",
                "status_label": "状态", "decision": "决定理由", "decided_at": "决定时间",
                "corrected_run_id": "更正评价"}, key="my_appeals")

if row.empty:
    st.stop()
if not open_window:
    st.caption(f"复核申请期限已于 {last_day:%Y-%m-%d} 截止。")
elif (mine["run_id"] == run_id).any():
    st.caption("本机构已对当前评价提出复核申请（每次评价可申请一次）。")
else:
    st.subheader("提出复核申请")
    remaining = appeals.working_days_between(cal, today, last_day)
    st.caption(f"距截止还有 {remaining} 个工作日。请写明对哪些指标的计算或数据有异议、理由和依据，并附证明材料（{evidence.ACCEPTED}）。")
    group = row["peer_group"].iloc[0]
    choices = {i.id: f"{i.id} {i.name}" for i in run.method.indicators_for(group)}
    with st.form("appeal"):
        disputed = st.multiselect("有异议的指标", list(choices), format_func=choices.get, placeholder="请选择一项或多项指标")
        reasons = st.text_area("复核理由")
        files = st.file_uploader("证明材料（可多个）", type=["pdf", "png", "jpg", "jpeg"], accept_multiple_files=True)
        filed = st.form_submit_button("提交复核申请", type="primary", icon=":material/send:")
    if filed:
        try:
            with data.cursor() as cur:
                appeal_id = appeals.file_appeal(cur, run_id, ctx.scope.inst_id, disputed, reasons,
                                                [(f.name, f.getvalue()) for f in files or []], ctx.account.username)
            st.success(f"复核申请 {appeal_id} 已提交，并记入审计。")
            st.rerun()
        except ValueError as error:
            st.error(str(error))
