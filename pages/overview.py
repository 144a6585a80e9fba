"""总览 — the regulator's year at a glance: volume, enterprises, rate vs LPR (R12),
"3个1" compliance (R10), subsidies (R1–R7), each with its monthly trend."""

from datetime import date

import pandas as pd
import streamlit as st

from scoring import dashboard, sla, subsidy
from ui import data, figures, fmt, session, show, today

ctx = session.context("regulator")
period = (date(ctx.year, 1, 1), ctx.until)
totals = data.load(dashboard.totals, ctx.year, scope=ctx.scope, until=ctx.until)
monthly = data.load(dashboard.monthly, ctx.year, scope=ctx.scope, until=ctx.until)
overall = data.load(sla.compliance, ctx.as_of, by=(), period=period, scope=ctx.scope, **ctx.sla_rules)
by_month = data.load(sla.compliance, ctx.as_of, by=("month", "stage"), period=period, scope=ctx.scope, **ctx.sla_rules)
subsidies = data.load(subsidy.totals_by_institution, ctx.year, scope=ctx.scope, policy=ctx.policy)

st.title(f"总览 · {ctx.period}")
today_slot = st.container()  # 今日提醒 (scoring/digest.py), drawn at the end: the figures show while it is gathered
st.caption(f"统计期间：{ctx.period}；“3个1”状态按观察日 {ctx.as_of:%Y-%m-%d} 计算。"
           + ("上年全年结果：左侧边栏“查看上年全年结果”。" if ctx.year_to_date else ""))

growth = (totals["amount"] / totals["amount_before"] - 1) if totals["amount_before"] else None
discount_bp = (totals["mean_lpr"] - totals["mean_rate"]) * 10_000 if pd.notna(totals["mean_rate"]) else None
rate = overall["compliance_rate"].iloc[0] if len(overall) else None
first, second = st.columns(4), st.columns(4)
first[0].metric("技改专项贷投放", fmt.money_text(totals["amount"]),
                f"{growth:+.1%} 比上年同期" if growth is not None else None, border=True, delta_arrow="auto",
                help=f"口径：{ctx.period}内发放的、投向已备案技改项目的制造业企业的贷款和直租"
                     "（与综合评价 V1 合计、区县赛马 D1 合计同一口径）；同比为与上年同期（1 月 1 日至同日）相比。")
first[1].metric("放款笔数", f"{totals['loans']:,} 笔", border=True,
                help=f"口径：{ctx.period}内发放的技改专项贷笔数（同“技改专项贷投放”）。")
first[2].metric("支持企业", f"{totals['enterprises']:,} 户", border=True,
                help=f"口径：{ctx.period}内获得技改专项贷的不同企业户数（同“技改专项贷投放”）。")
first[3].metric("报送贷款（含不符合条件）", fmt.money_text(totals["reported_amount"]), border=True,
                help=f"口径：{ctx.period}内报送的全部放款，含项目未备案、非制造业等不计入技改专项贷的部分；"
                     "与“技改专项贷投放”之差即不符合条件的报送。")
second[0].metric("贷款加权平均利率", fmt.percent(totals["mean_rate"], 2),
                 (f"{-discount_bp:+.0f} 个基点（{'低于' if discount_bp >= 0 else '高于'}同期LPR）")
                 if discount_bp is not None else None,
                 delta_color="inverse", border=True,  # below the LPR is the good direction: a green down arrow
                 help=f"口径：{ctx.period}内发放的技改专项贷中的银行贷款（不含融资租赁）按金额加权的执行利率；"
                      "箭头为执行利率与各笔签约日同期限LPR（1年期或5年期以上，按贷款期限）加权值之差，向下为低于LPR（R12 利率优惠）。")
second[1].metric("“3个1”按时办结率", fmt.percent(rate), border=True,
                 help=f"口径：按时办结 ÷（按时办结 + 超时），时限在{ctx.period}内的环节，按观察日 {ctx.as_of:%Y-%m-%d} 判定（R10）。")
second[2].metric("贴息与奖补（测算）", fmt.money_text(subsidies["subsidy"].sum() if len(subsidies) else 0), border=True,
                 help=f"口径：{ctx.year} 年付息、担保与保单按政策测算的贴息和奖补，封顶后（R1–R6）；按报送数据测算，不等于已拨付。")
second[2].page_link("pages/payments.py", label="查看贴息与拨付", icon=":material/arrow_forward:")
second[1].page_link("pages/interviews.py", label="达标率低于约谈线的机构", icon=":material/arrow_forward:")

left, right = st.columns(2)
with left:
    show.chart(figures.monthly_amount, monthly, f"技改专项贷月度投放 · {ctx.period_short}")
with right:
    show.chart(figures.rate_vs_lpr, monthly, f"银行贷款利率与同期LPR · {ctx.period_short}")
    st.caption("同期LPR：各笔贷款签约日、与其期限相同的LPR（5年以内用1年期，5年以上用5年期以上）按金额加权；"
               "两者的构成随当月贷款的期限结构变化，曲线起伏由此而来，利率优惠看两线之差。")
left, right = st.columns(2)
with left:
    if len(by_month):
        show.chart(figures.compliance_trend, by_month, f"“3个1”按时办结率（分环节）· {ctx.period_short}",
               ctx.method.interview.compliance_below, ctx.policy.stage_labels())
    else:
        show.empty("本年度尚无到期的“3个1”环节。")
with right:
    if len(subsidies):
        top = subsidies.rename(columns={"inst_name": "name"}).sort_values("subsidy", ascending=False).head(15)
        show.chart(figures.amount_by_institution, top, "subsidy", f"{ctx.year} 年贴息与奖补测算（前15家机构）",
                   "贴息与奖补（万元）")
    else:
        show.empty("本年度尚无贴息测算数据。")
today.panel(ctx, ("regulator",), today_slot)
