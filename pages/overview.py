"""总览 — the regulator's year at a glance: volume, enterprises, rate vs LPR (R12),
"3个1" compliance (R10), subsidies (R1–R7), each with its monthly trend."""

from datetime import date

import pandas as pd
import streamlit as st

from scoring import dashboard, sla, subsidy
from ui import data, figures, fmt, session, show

ctx = session.context("regulator")
period = (date(ctx.year, 1, 1), date(ctx.year, 12, 31))
totals = data.load(dashboard.totals, ctx.year, scope=ctx.scope)
monthly = data.load(dashboard.monthly, ctx.year, scope=ctx.scope)
overall = data.load(sla.compliance, ctx.as_of, by=(), period=period, scope=ctx.scope, week=ctx.method.sla_week)
by_month = data.load(sla.compliance, ctx.as_of, by=("month", "stage"), period=period, scope=ctx.scope,
                     week=ctx.method.sla_week)
subsidies = data.load(subsidy.totals_by_institution, ctx.year, scope=ctx.scope)

st.title(f"总览 · {ctx.year} 年")
st.caption(f"“3个1”状态按观察日 {ctx.as_of:%Y-%m-%d} 计算；金额为当年放款（含融资租赁）。")

growth = (totals["amount"] / totals["amount_before"] - 1) if totals["amount_before"] else None
discount_bp = (totals["mean_lpr"] - totals["mean_rate"]) * 10_000 if pd.notna(totals["mean_rate"]) else None
rate = overall["compliance_rate"].iloc[0] if len(overall) else None
first, second = st.columns(3), st.columns(3)
first[0].metric("技改专项贷投放", fmt.money_text(totals["amount"]),
                f"{fmt.percent(growth)} 同比" if growth is not None else None, border=True)
first[1].metric("放款笔数", f"{totals['loans']:,} 笔", border=True)
first[2].metric("支持企业", f"{totals['enterprises']:,} 户", border=True)
second[0].metric("贷款加权平均利率", fmt.percent(totals["mean_rate"], 2),
                 (f"低于LPR {discount_bp:.0f} 个基点" if discount_bp >= 0 else f"高于LPR {-discount_bp:.0f} 个基点")
                 if discount_bp is not None else None,
                 delta_color="normal" if (discount_bp or 0) >= 0 else "inverse", border=True,
                 help="银行贷款按放款金额加权（不含融资租赁），与签约日同期限LPR比较（R12 利率优惠）")
second[1].metric("“3个1”按时办结率", fmt.percent(rate), border=True,
                 help="按时办结 ÷（按时办结 + 超时），时限在本年度内的环节（R10）")
second[2].metric("贴息与奖补（测算）", fmt.money_text(subsidies["subsidy"].sum() if len(subsidies) else 0), border=True,
                 help="按报送的付息、担保与保单数据测算，封顶后（R1–R6）")

left, right = st.columns(2)
with left:
    show.chart(figures.monthly_amount, monthly, f"{ctx.year} 年月度投放金额")
with right:
    show.chart(figures.rate_vs_lpr, monthly, f"{ctx.year} 年贷款加权平均利率与同期LPR")
left, right = st.columns(2)
with left:
    if len(by_month):
        show.chart(figures.compliance_trend, by_month, f"{ctx.year} 年“3个1”按时办结率（分环节）",
               ctx.method.interview.compliance_below)
    else:
        show.empty("本年度尚无到期的“3个1”环节。")
with right:
    if len(subsidies):
        top = subsidies.rename(columns={"inst_name": "name"}).sort_values("subsidy", ascending=False).head(15)
        show.chart(figures.amount_by_institution, top, "subsidy", f"{ctx.year} 年贴息与奖补（前15家机构）",
                   "贴息与奖补（万元）")
    else:
        show.empty("本年度尚无贴息测算数据。")
