"""我的贴息 — an institution's subsidy claims of the year (R1–R6: what each project gets,
what was refused and why) and their place in the payment queue (R7: 先付后贴, 合作机构优先)."""

import pyarrow.compute as pc
import streamlit as st

from scoring import disbursement, subsidy
from ui import data, fmt, session, show

ctx = session.context("institution")
names = data.load_shared(disbursement.names, scope=ctx.scope)  # put on the rows shown
items = disbursement.named_items(data.load_shared(subsidy.subsidy_table, ctx.year, scope=ctx.scope, policy=ctx.policy),
                                 names)
queue = data.load_shared(disbursement.plan, ctx.year, None, None, scope=ctx.scope, policy=ctx.policy).queue
reasons = data.load_shared(disbursement.overview, ctx.year, scope=ctx.scope, policy=ctx.policy).refusals

st.title("我的贴息")
st.caption(f"{ctx.account.display_name} · {ctx.year} 年。按报送的付息记录“免申即享”测算（R1–R4）："
           f"{ctx.policy.interest_summary()}。")

if items.empty and queue.empty:
    show.empty(f"{ctx.year} 年尚无本机构的付息记录。")
    st.stop()

cooperating = bool(pc.any(queue["cooperating"]).as_py()) if len(queue) else False
cols = st.columns(3)
cols[0].metric("测算贴息（封顶后）", fmt.money_text(items["subsidy"].sum()), border=True)
cols[1].metric("涉及项目", f"{items['project_id'].nunique():,} 个", border=True)
cols[2].metric("不予贴息的付息", f"{int(items['refused'].sum()):,} 笔", border=True,
               help=f"每笔均有原因：{ctx.policy.refusal_examples()}")
st.caption(("本机构为本年度合作机构，贴息优先兑现" if cooperating else "本机构不是本年度合作机构，贴息按付息日先后排队")
           + "（R7，二十条第十九条“优先兑现合作机构发放的贷款贴息”）。")

st.subheader("兑付队列中的位置")
if len(queue):
    st.caption("“前序待兑付”为全市排在该笔之前的贴息合计（不区分机构，不披露明细）。")
    show.table(queue, {"queue_no": "队列序号", "payment_id": "付息编号", "loan_id": "贷款编号", "ent_name": "企业",
                       "paid_on": "付息日", "subsidy": "贴息（万元）", "ahead": "前序待兑付（万元）"},
               money=("subsidy", "ahead"), key="queue", export=f"贴息兑付队列_{ctx.year}", shape=names.of)
else:
    show.empty("本年度没有可兑付的贴息。")

st.subheader("分项目测算")
items = items.assign(capped_text=items["capped"].map({True: "是", False: "否"}))
show.table(items, {"project_id": "项目编号", "ent_name": "企业", "kind_text": "类别", "items": "付息笔数",
                   "uncapped": "封顶前（万元）", "subsidy": "封顶后（万元）", "capped_text": "触及上限",
                   "reason_text": "不予贴息原因"},
           money=("uncapped", "subsidy"), key="items", export=f"我的贴息_{ctx.year}")

if len(reasons):
    st.subheader("不予贴息的付息记录")
    show.table(reasons, {"reason_text": "原因（R1）", "payments": "笔数", "interest": "涉及利息（万元）"},
               money=("interest",), key="reasons")
    show.table(data.load_shared(subsidy.refused_of_year, ctx.year, scope=ctx.scope, policy=ctx.policy),
               {"payment_id": "付息编号", "loan_id": "贷款编号", "project_id": "项目编号", "ent_name": "企业",
                "paid_on": "付息日", "interest_paid": "实付利息（万元）", "reason_text": "原因"},
               money=("interest_paid",), key="refused", export=f"不予贴息的付息_{ctx.year}", shape=names.of)
