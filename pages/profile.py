"""机构画像 — one institution: its score built up indicator by indicator (R12), its lines
(R13–R15), its "3个1" (R10), its products and cases (R17) and its monthly trend."""

import pandas as pd
import streamlit as st

from scoring import dashboard, sla
from scoring.access import Scope
from ui import data, figures, fmt, results, session, show

ctx = session.context("regulator")
st.title(f"机构画像 · {ctx.year} 年")
result = results.choose(ctx)
rows = result.institutions.sort_values(["peer_group", "inst_id"])
inst_id = st.selectbox("机构", rows["inst_id"], format_func=dict(zip(rows["inst_id"], rows["name"], strict=True)).get,
                       key="profile_inst")
row = rows.set_index("inst_id").loc[inst_id]
row["inst_id"] = inst_id
scope = Scope("institution", inst_id=inst_id)  # the regulator looks through the institution's own scope

st.subheader(f"{row['name']}（{fmt.PEER_GROUPS[row['peer_group']]}）")
cols = st.columns(5)
scored = row["status"] == "scored"
cols[0].metric("综合得分", f"{row['score']:.2f}" if scored else row["status_label"], border=True)
cols[1].metric("组内名次", f"第 {row['rank']} 名" if scored else "—", border=True)
cols[2].metric("等级（R15）", row["grade"] if scored else "—", border=True)
cols[3].metric("遴选（R13）", "入选" if row["selected"] else "未入选", row["change_label"] or None,
               delta_color="off", delta_arrow="off", border=True)
cols[4].metric("加分（R14）", f"{row['bonus']:.1f} 分", border=True)
st.caption(f"遴选说明：{row['selection_reason']}" + (f"；约谈：{row['interview_reason']}" if row["interview"] else ""))

indicators = result.method.indicators_for(row["peer_group"])
if scored:
    left, right = st.columns([3, 2])
    with left:
        contributions = result.indicators.query("subject == 'institution' and subject_id == @inst_id")
        show.chart(figures.score_waterfall, contributions.set_index("indicator")["contribution"], row,
                   figures.indicator_labels(indicators), "综合得分构成")
    with right:
        weights = result.method.weights(row["peer_group"])
        table = [{"label": figures.indicator_label(ind), "raw": fmt.indicator_value(ind.id, row[f"{ind.id}_raw"], result.method.registry),
                  "norm": row[f"{ind.id}_norm"], "weight": weights[ind.id], "contrib": row[f"{ind.id}_contrib"]}
                 for ind in indicators]
        show.table(pd.DataFrame(table), {"label": "指标", "raw": "原始值", "norm": "标准化（0–100）",
                                         "weight": "权重", "contrib": "贡献（分）"}, percent=("weight",),
                   key="indicators")
else:
    show.empty(f"本年度未评分：{row['reason']}")

st.subheader("“3个1”限时办结")
by_month = data.load(sla.compliance, ctx.as_of, by=("month", "stage"), period=ctx.evaluation_period.span, scope=scope,
                     week=ctx.method.sla_week)
if len(by_month):
    show.chart(figures.compliance_trend, by_month, f"{row['name']}：分环节按时办结率（按月）",
               result.method.interview.compliance_below)
else:
    show.empty("本年度尚无到期的“3个1”环节。")

st.subheader("投放趋势")
monthly = data.load(dashboard.monthly, ctx.year, scope=scope, until=ctx.until)
left, right = st.columns(2)
with left:
    show.chart(figures.monthly_amount, monthly, f"{row['name']}：月度投放金额")
with right:
    show.chart(figures.rate_vs_lpr, monthly, f"{row['name']}：贷款加权平均利率与同期LPR")

st.subheader("产品与案例（创新产品库、典型案例库）")
products = data.load(dashboard.products, ctx.year, scope=scope)
cases = data.load(dashboard.cases, scope=scope)
left, right = st.columns(2)
with left:
    if len(products):
        show.table(products.assign(category=products["category"].map(fmt.PRODUCT_CATEGORIES),
                                   innovative=products["innovative"].map(fmt.YES_NO)),
                   {"name": "产品", "category": "模式", "innovative": "入选创新产品库", "loans": "本年笔数",
                    "amount": "本年金额（万元）"}, money=("amount",), key="products")
    else:
        show.empty("没有报送产品。")
with right:
    if len(cases):
        show.table(cases, {"year": "年度", "title": "典型案例", "ent_name": "企业"}, key="cases")
    else:
        show.empty("没有报送典型案例。")
