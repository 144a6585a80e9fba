"""我的排名 — an institution's own result in the published evaluation (R12–R15): rank,
score breakdown, grade, selection and bonus, and its gap to the selection line indicator
by indicator against anonymous yardsticks of its peer group (median, selected mean); while
the year runs, its projected year-end result "at this pace" (scoring/forecast.py)."""

import pandas as pd
import streamlit as st

from scoring import dashboard, distance, published, race
from scoring.access import MIN_PEERS, REGULATOR
from scoring.method import load_method
from ui import data, figures, fmt, projection, session, show

ctx = session.context("institution")
st.title("我的排名")


def score_by_month() -> None:
    """The institution's own year-to-date composite month by month (R12) against the estimated
    selection line and the grade lines. The monthly race is computed once for everyone (shared
    with the regulator's race page); only this institution's rows and anonymous lines are drawn."""
    visible = data.load(dashboard.institutions, scope=ctx.scope)["inst_id"]
    with st.spinner("正在逐月测算综合得分……"):
        scores = data.load_shared(race.monthly_scores, ctx.year, method=ctx.method, policy=ctx.policy, scope=REGULATOR)
    mine = scores[scores["inst_id"].isin(visible) & scores["score"].notna()]
    if mine.empty:
        show.empty(f"{ctx.period}内本机构尚未达到参评条件（笔数不足或被一票否决），暂无逐月得分。")
        return
    group = mine["peer_group"].iloc[0]
    lines = data.derived(race.selection_lines, ("year", ctx.year, ctx.method.sha256), scores, ctx.method)
    show.chart(figures.score_by_month, mine[["month", "score", "rank"]], lines[lines["peer_group"] == group],
               list(ctx.method.lines.grades), f"{ctx.year} 年逐月综合得分（年初至当月末）")
    st.caption("按当前评价办法实时测算、不保存，可能与年度发布结果不同；入选线为当月同组按遴选规则选到的最后一家的得分"
               f"（不少于 {MIN_PEERS} 家参评时显示，不披露是哪一家），灰线为等级线。")


def at_this_pace() -> None:
    """While the year runs: this institution's projected year-end score, rank, grade and selection
    with their interval, the indicators that decide it and what it takes (issue 11 §1)."""
    if not ctx.year_to_date:
        return
    view = projection.load(ctx)
    st.subheader("按目前进度：预计年末结果")
    me = view.institutions.iloc[0] if len(view.institutions) else None
    if me is None or pd.isna(me["projected_score"]):
        show.empty("按目前进度，本机构年末不参与综合评价排名（笔数不足最低要求或被一票否决）。")
        projection.caption(view)
        return
    cols = st.columns(4)
    cols[0].metric("预计年末综合得分", f"{me['projected_score']:.2f}",
                   f"区间 {me['projected_score_low']:.2f}–{me['projected_score_high']:.2f}", delta_color="off",
                   delta_arrow="off", border=True, help=f"年初至今得分 {me['score_to_date']:.2f}")
    cols[1].metric("预计组内名次", f"第 {int(me['projected_rank'])} 名",
                   f"区间 第 {int(me['projected_rank_best'])}–{int(me['projected_rank_worst'])} 名", delta_color="off",
                   delta_arrow="off", border=True, help=f"年初至今第 {int(me['rank_to_date'])} 名")
    cols[2].metric("预计等级（R15）", me["projected_grade"], f"年初至今 {me['grade_to_date']}", delta_color="off",
                   delta_arrow="off", border=True)
    cols[3].metric("预计遴选（R13）", "入选" if me["projected_selected"] else "未入选",
                   f"入选概率 {fmt.percent(me['selection_chance'])}", delta_color="off", delta_arrow="off", border=True)
    if me["decisive"]:
        st.markdown(f"- **决定结果的指标**：{me['decisive']}")
    if me["what_it_takes"]:
        st.markdown(f"- **年末前还需做到**：{me['what_it_takes']}")
    projection.caption(view)


run_id = data.load(published.published_run, ctx.year, scope=None)
if run_id is None:
    show.empty(f"{ctx.year} 年度综合评价尚未发布（{ctx.period}）。发布后可在此查看本机构的名次、得分构成和与入选线的差距；"
               "本年度的办理情况见“我的“3个1””。下图为本年逐月测算的得分。")
    score_by_month()
    at_this_pace()
    st.button(f"查看上年（{ctx.year - 1} 年）已发布的评价结果", type="primary", icon=":material/history:",
              on_click=lambda: st.session_state.update({session.YEAR: ctx.year - 1}))
    st.stop()

mine = data.load(published.my_result, run_id, scope=ctx.scope)
if mine.empty:
    show.empty(f"本机构未参加 {ctx.year} 年度综合评价（评价运行 {run_id}）。")
    st.stop()
me = mine.iloc[0]
method = load_method(data.load(published.run_method, run_id, scope=None))
indicators = method.indicators_for(me["peer_group"])
compared = data.load(published.institution_comparison, run_id, scope=ctx.scope).set_index("indicator")
bench = data.load(published.peer_benchmark, run_id, scope=ctx.scope).set_index("measure")
st.caption(f"{ctx.account.display_name} · {fmt.PEER_GROUPS[me['peer_group']]} · {ctx.year} 年全年综合评价"
           f"（运行 {run_id}，已发布）。同组比较只显示中位数和入选机构平均等匿名统计，不披露其他机构。")

if me["status"] != "scored":
    st.warning(f"本年度未评分：{me['status_label']}（{me['reason']}）。{me['selection_reason']}")
    st.stop()

line = bench["selected_min"].get("score") if "score" in bench.index else None
median = bench["median"].get("score") if "score" in bench.index else None
peers = int(bench["institutions"].get("score")) if "score" in bench.index else None
cols = st.columns(5)
cols[0].metric("综合得分", f"{me['score']:.2f}", f"比中位数 {me['score'] - median:+.2f}" if median else None,
               border=True, help="同组中位数为同类参评机构综合得分的中位数")
cols[1].metric("组内名次", f"第 {me['rank']} 名" + (f" / {peers} 家" if peers else ""), border=True,
               help=f"同组参评 {peers} 家；权重扰动重算的名次区间：第 {me['rank_p05']:.0f}–{me['rank_p95']:.0f} 名")
cols[2].metric("等级（R15）", me["grade"], "需约谈" if me["interview"] else None, delta_color="inverse", border=True)
cols[3].metric("遴选（R13）", "入选" if me["selected"] else "未入选",
               me["change_label"] if pd.notna(me["change_label"]) else None, delta_color="off", delta_arrow="off",
               border=True,
               help=me["selection_reason"])
cols[4].metric("监管评价加分（R14）", f"{me['bonus']:.1f} 分", border=True)
if not me["selected"] and line is not None:
    st.info(f"距入选线（入选机构最低分 {line:.2f}）还差 {line - me['score']:.2f} 分；"
            f"权重扰动重算中入选的比例为 {fmt.percent(me['selection_share'])}。", icon=":material/flag:")

if ctx.year in ctx.window.years:
    score_by_month()
    at_this_pace()

# how far to the next grade and to the selection line, and which single indicator would close it
steps = distance.moves_of(distance.position(me, compared), method, line)
st.subheader("距下一等级和入选线")
if steps.empty:
    st.success(f"本机构已是{me['grade']}" + ("且已入选。" if me["selected"] else "。"), icon=":material/check_circle:")
for goal, rows in steps.groupby("goal", sort=False):
    first = rows.iloc[0]
    target = f"{goal}（{first['goal_score']:.2f} 分）" if goal != "入选线" else f"入选线（{first['goal_score']:.2f} 分）"
    texts = [distance.move_text(m, method) for m in rows.itertuples()]
    how = ("以下任一项做到即可（其他指标不变）：" + "；".join(texts[:4]) if first["plan"] == "单项"
           else "单项指标不足以补足，需同时：" + "；".join(texts))
    st.markdown(f"- 距 **{target}** 还差 **{first['gap']:.2f} 分**。{how}。")
st.caption("按本年度评价办法的目标区间（同类机构的上下限）折算；得分为公布得分，改进以本年度数据为基础。")

labels = figures.indicator_labels(indicators)
gaps = compared.assign(label=compared.index.map(labels),
                       raw=[fmt.indicator_value(i, v, method.registry) for i, v in compared["raw"].items()])

left, right = st.columns(2)
with left:
    show.chart(figures.score_waterfall, compared["contribution"], me, labels, "本机构综合得分构成")
with right:
    if gaps["gap"].notna().any():
        show.chart(figures.gap_to_line, gaps.dropna(subset=["gap"]), "各指标与入选机构平均贡献的差距")
        st.caption("负数（红色，向左）表示本机构在该指标上的得分贡献低于入选机构平均，是追赶的重点；正数表示领先。")
    else:
        show.empty("同组入选机构不足，暂不显示差距。")

p1 = method.indicator("P1")
if me["peer_group"] == "leasing" and p1.normalisation == "goalposts":
    lo, hi = distance.bounds(p1, me.get("tier"))
    st.info(f"利率优惠（P1）对融资租赁为负数是正常的：租赁利率含设备与残值风险、资金成本高于银行，与LPR不可直接比较。"
            f"评价办法为本类机构设定的基准是高于LPR {-lo:.0f} 个基点记 0 分、高于 {-hi:.0f} 个基点记满分；"
            f"本机构 {fmt.indicator_value('P1', compared['raw'].get('P1'), method.registry)}，即租赁利率高于LPR "
            f"{-float(compared['raw'].get('P1')):.0f} 个基点，得 {compared['normalised'].get('P1'):.0f} 分。", icon=":material/info:")

show.table(gaps, {"label": "指标", "raw": "原始值", "normalised": "标准化得分（0–100）", "contribution": "本机构贡献（分）",
                  "median": "同组中位数（分）", "selected_mean": "入选机构平均（分）",
                  "gap": "本机构 − 入选机构平均（分）"}, key="gaps")
