"""机构服务 — the banks and leasing companies serving the district's firms: what they lent
there this year and their "3个1" compliance on the district's applications (R10, R16)."""

import streamlit as st

from scoring import dashboard, disbursement
from ui import data, figures, fmt, session, show

ctx = session.context("district")
served = data.load(dashboard.serving_institutions, ctx.year, ctx.as_of, scope=ctx.scope, until=ctx.until,
                   **ctx.sla_rules)
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

st.subheader(f"本区县项目的贴息与奖补 · {ctx.year} 年")
money = data.load_shared(disbursement.overview, ctx.year, scope=ctx.scope, policy=ctx.policy)
if money.empty:
    show.empty(f"{ctx.year} 年本区县项目尚无付息、担保或保单记录。")
else:
    planned = data.load_shared(disbursement.plan, ctx.year, None, None, scope=ctx.scope, policy=ctx.policy)
    share = ctx.policy.city_share
    cols = st.columns(4)
    cols[0].metric("贴息与奖补（测算）", fmt.money_text(sum(money.kinds["subsidy"])), border=True,
                   help="本区县项目的贷款与租赁贴息、担保奖补和保险补贴，封顶后（R1–R6）；按报送数据测算，不等于已拨付。")
    cols[1].metric(f"其中区县承担（{1 - share:.0%}）", fmt.money_text(planned.totals["district_part"]), border=True,
                   help=f"市区共担（R7）：贷款与租赁贴息中市级承担 {share:.0%}，其余由项目所在区县承担；比例见政策参数文件。")
    cols[2].metric("享受政策的项目", f"{money.subsidised_projects:,} 个", border=True)
    cols[3].metric("不予贴息的付息", f"{int(money.refusals['payments'].sum()):,} 笔", border=True,
                   help="原因见下表；多为付息时项目尚未入库或未完成技改备案，区县可督促企业补办。")
    left, right = st.columns(2)
    with left:
        show.table(money.kinds, {"kind_text": "类别", "projects": "项目（个）", "items": "笔数",
                                 "subsidy": "封顶后（万元）"}, money=("subsidy",), key="district_kinds",
                   export=f"本区县贴息分类别_{ctx.year}")
    with right:
        if money.refusals.empty:
            show.empty("本年度没有不予贴息的付息。")
        else:
            show.table(money.refusals, {"reason_text": "不予贴息原因（R1）", "payments": "付息（笔）",
                                        "interest": "涉及利息（万元）"}, money=("interest",), key="district_refusals",
                       export=f"本区县不予贴息_{ctx.year}")
