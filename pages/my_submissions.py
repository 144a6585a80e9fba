"""报送记录 — an institution's own reporting (issue 15 §1): the status of each month (on time, late,
missing, corrected, with working days late), every submission it made with its receipt (回执) to
download as proof, accepted or refused."""

import streamlit as st

from scoring import receipts, reporting
from ui import data, receipt, session, show

ctx = session.context("institution")
st.title("报送记录")
with data.cursor() as cur:
    chosen = reporting.settings(cur)
    status = reporting.reporting_status(cur, ctx.as_of, ctx.scope)
    history = receipts.history(cur, ctx.scope)
st.caption(f"每月数据应于次月第 {chosen.deadline_working_days} 个工作日前报送（R9 工作日历）。"
           "每次报送——无论接受还是被拒绝——都有回执，可下载 Excel 或 PDF 作为报送凭证。")

missing = reporting.overdue(status)
if len(missing):
    st.warning("尚未报送：" + "；".join(f"{m.period}（截止 {m.deadline:%Y-%m-%d}，已逾期 {m.working_days_late} 个工作日）"
                                   for m in missing.itertuples()), icon=":material/assignment_late:")
else:
    st.success("截至观察日，所有已到期的期间都已报送。", icon=":material/task_alt:")

st.subheader("各期报送状态")
recent = status.sort_values("period", ascending=False).head(12)
show.table(recent.assign(first_at=recent["first_at"].dt.strftime("%Y-%m-%d %H:%M")),
           {"period": "期间", "deadline": "截止日", "status_label": "状态", "working_days_late": "逾期（工作日）",
            "first_at": "首次报送", "submissions": "报送次数", "corrections": "更正次数"}, key="my_status")

st.subheader("报送历史与回执")
if history.empty:
    show.empty("还没有报送记录。报送请用“数据导入”页或接口（API）。")
else:
    receipt.history_table(history, "my_history", with_institution=False)
    receipt.receipt_panel(list(history["submission_id"]), ctx.scope, "my_receipt")
