"""我的“3个1” — an institution's own time limits (R9, R10): compliance by stage and month
beside its peer group's anonymous median, today's due and at-risk stages with working
days left, and breaches with how late."""

from datetime import date

import streamlit as st

from scoring import access, dashboard, sla
from ui import data, figures, fmt, session, show, today

ctx = session.context("institution")
period = (date(ctx.year, 1, 1), ctx.until)
rules = ctx.sla_rules
by_stage = data.load(sla.compliance, ctx.as_of, by=("stage",), period=period, scope=ctx.scope, **rules)
by_month = data.load(sla.compliance, ctx.as_of, by=("month", "stage"), period=period, scope=ctx.scope, **rules)
overall = data.load(sla.compliance, ctx.as_of, by=("month",), period=period, scope=ctx.scope, **rules)
peers = data.load(dashboard.peer_compliance, ctx.as_of, period, scope=ctx.scope, **rules)
lists = data.load(sla.at_risk_and_breached, ctx.as_of, scope=ctx.scope, **rules)
provisional = data.load(sla.any_provisional, ctx.as_of, scope=ctx.scope, **rules)
stage_names = ctx.policy.stage_labels()  # R10, with the policy's time limits

st.title("我的“3个1”限时办结")
today_slot = st.container()  # 今日提醒 (scoring/digest.py), drawn at the end of the page
st.caption(f"{ctx.account.display_name} · 达标率统计期间：{ctx.period} · 待办与超时清单：截至观察日 {ctx.as_of:%Y-%m-%d}。"
           f"{ctx.policy.time_limits(ctx.method.sla_week)}，工作日按国务院节假日安排（R9）。")

if provisional:
    st.warning("部分办结时限落在尚无国务院节假日安排的年份，暂按周一至周五计算工作日（R9），表中标注“暂定”；"
               "监管部门导入该年节假日安排后自动更正。", icon=":material/event_busy:")

judged = by_stage["met"].sum() + by_stage["breached"].sum()
due = lists.due.assign(stage=lists.due["stage"].map(stage_names), status=lists.due["status"].map(fmt.STATUSES),
                       deadline=fmt.deadlines(lists.due))
overdue = lists.overdue.assign(stage=lists.overdue["stage"].map(stage_names), deadline=fmt.deadlines(lists.overdue))
overdue = overdue.sort_values("working_days_late", ascending=False)
DUE_COLUMNS = {"app_id": "申请编号", "ent_name": "企业名称", "stage": "环节", "started_on": "起算日",
               "deadline": "办结时限", "working_days_left": "剩余工作日", "status": "状态"}
OVERDUE_COLUMNS = {"app_id": "申请编号", "ent_name": "企业名称", "stage": "环节", "deadline": "办结时限",
                   "working_days_late": "已超时（工作日）"}
cols = st.columns(4)
cols[0].metric(f"按时办结率（{ctx.year} 年{'年初至今' if ctx.year_to_date else '全年'}）",
               fmt.percent(by_stage["met"].sum() / judged if judged else None), border=True,
               help=f"口径：时限在{ctx.period}内的环节，按时办结 ÷（按时办结 + 超时），按观察日判定（R10）。")
cols[1].metric(f"临期（{ctx.as_of:%m-%d}，≤{ctx.policy.at_risk_working_days}个工作日）", f"{(lists.due['status'] == 'at_risk').sum():,} 项", border=True,
               help="观察日当天或下一个工作日到期、尚未办结的环节。")
cols[2].metric(f"办理中（截至 {ctx.as_of:%m-%d}）", f"{len(lists.due):,} 项", border=True,
               help="观察日尚未办结、时限未到的环节。")
cols[3].metric(f"已超时未办结（截至 {ctx.as_of:%m-%d}）", f"{len(lists.overdue):,} 项", border=True,
               help="观察日已过时限仍未办结的环节，不论时限在哪一年。")
show.drill(cols[1], due[lists.due["status"] == "at_risk"], DUE_COLUMNS, "at_risk")
show.drill(cols[2], due, DUE_COLUMNS, "due")
show.drill(cols[3], overdue, OVERDUE_COLUMNS, "overdue", highlight=show.lateness_colours(overdue["working_days_late"]))

stage_cols = st.columns(3)
for column, stage in zip(stage_cols, sla.STAGES, strict=True):
    row = by_stage[by_stage["stage"] == stage]
    rate = row["compliance_rate"].iloc[0] if len(row) else None
    column.metric(stage_names[stage], fmt.percent(rate),
                  f"按时 {int(row['met'].sum()):,} / 超时 {int(row['breached'].sum()):,}", delta_color="off",
                  delta_arrow="off", help=f"时限在{ctx.period}内的该环节（R10）。")

if len(by_month):
    left, right = st.columns(2)
    with left:
        show.chart(figures.compliance_trend, by_month, "分环节按时办结率（按月）", ctx.method.interview.compliance_below,
                   stage_names)
    with right:
        show.chart(figures.compliance_trend, overall, "按时办结率与同组中位数（按月）",
                   ctx.method.interview.compliance_below, stage_names, peers)
    st.caption("同组中位数为同类机构（银行或融资租赁）按月按时办结率的中位数，"
               f"仅在不少于 {access.MIN_PEERS} 家机构时显示，不披露其他机构的数据。")
else:
    show.empty("本年度尚无到期的“3个1”环节。")

st.subheader("待办：办理中与临期环节")
if len(lists.due):
    show.table(due, DUE_COLUMNS, key="due", export=f"待办清单_{ctx.as_of:%Y%m%d}")
else:
    show.empty("今日没有待办环节。")

st.subheader("超时：尚未办结")
if len(lists.overdue):
    st.caption("按超时时间着色：超时 10 个工作日以上最深，5–9 个工作日次之，1–4 个工作日最浅。")
    show.table(overdue, OVERDUE_COLUMNS, key="overdue", highlight=show.lateness_colours(overdue["working_days_late"]),
               export=f"超时未办结清单_{ctx.as_of:%Y%m%d}")
else:
    show.empty("没有超时未办结的环节。")

st.subheader(f"超时：{ctx.year} 年已办结但超时")
late = data.load(sla.finished_late, ctx.as_of, ctx.year, scope=ctx.scope, **rules)
if len(late):
    late = late.assign(stage=late["stage"].map(stage_names))
    show.table(late, {"app_id": "申请编号", "ent_name": "企业名称", "stage": "环节", "deadline": "办结时限",
                      "done_on": "办结日", "working_days_late": "超时（工作日）"}, key="late",
               highlight=show.lateness_colours(late["working_days_late"]), export=f"超时办结清单_{ctx.year}")
else:
    show.empty("本年度没有超时办结的环节。")

today.panel(ctx, ("institution",), today_slot)
