"""机构服务 — the banks and leasing companies serving the district's firms: what they lent
there this year and their "3个1" compliance on the district's applications (R10, R16)."""

import streamlit as st

from scoring import dashboard
from ui import data, figures, fmt, session, show

ctx = session.context("district")
served = data.load(dashboard.serving_institutions, ctx.year, ctx.as_of, scope=ctx.scope, week=ctx.method.sla_week,
                   until=ctx.until)
served = served.assign(peer_group=served["peer_group"].map(fmt.PEER_GROUPS))

st.title(f"机构服务 · {ctx.account.display_name}")
st.caption(f"统计期间：{ctx.period}。在本区县开展技改专项贷业务的金融机构；“3个1”按本区县企业的申请计算，"
           f"观察日 {ctx.as_of:%Y-%m-%d}。")


if served.empty:
    show.empty("本区县尚无金融机构的技改专项贷业务记录。")
    st.stop()

cols = st.columns(3)
cols[0].metric("服务机构", f"{len(served):,} 家", border=True)
cols[1].metric("技改专项贷投放（本区县企业）", fmt.money_text(served["cumulative_amount"].dropna().sum()), border=True,
               help=f"口径：{ctx.period}内本区县企业获得的技改专项贷（已备案技改项目、制造业企业），"
                    "与区县赛马 D1 同一口径。")
judged = served["met"].sum() + served["breached"].sum()
cols[2].metric("本区县“3个1”按时办结率", fmt.percent(served["met"].sum() / judged if judged else None), border=True)

left, right = st.columns(2)
with left:
    ranked = served.dropna(subset=["compliance_rate"])
    if len(ranked):
        show.chart(figures.compliance_by_institution, ranked, f"{ctx.year} 年各机构在本区县的“3个1”按时办结率",
                   ctx.method.interview.compliance_below)
    else:
        show.empty("本年度尚无到期的“3个1”环节。")
with right:
    lenders = served[served["cumulative_amount"].fillna(0) > 0]
    if len(lenders):
        show.chart(figures.amount_by_institution, lenders, "cumulative_amount", f"{ctx.year} 年各机构在本区县投放",
                   "投放金额（万元）")
    else:
        show.empty("本年度尚无在本区县的放款。")

show.table(served, {"name": "机构名称", "peer_group": "类型", "cumulative_amount": "本年投放（万元）",
                    "loans_in_year": "放款笔数", "met": "按时办结", "breached": "超时", "pending": "办理中",
                    "compliance_rate": "按时办结率"},
           money=("cumulative_amount",), percent=("compliance_rate",))
