"""我的排名 — an institution's own result in the published evaluation (R12–R15): rank,
score breakdown, grade, selection and bonus, and its gap to the selection line indicator
by indicator against anonymous yardsticks of its peer group (median, selected mean)."""

import pandas as pd
import streamlit as st

from scoring import published
from scoring.method import load_method
from ui import data, figures, fmt, session, show

ctx = session.context("institution")
st.title("我的排名")
run_id = data.load(published.published_run, ctx.year, scope=None)
if run_id is None:
    show.empty(f"{ctx.year} 年度综合评价尚未发布。发布后可在此查看本机构的名次、得分构成和与入选线的差距。")
    st.stop()

mine = data.load(published.my_result, run_id, scope=ctx.scope)
if mine.empty:
    show.empty(f"本机构未参加 {ctx.year} 年度综合评价（评价运行 {run_id}）。")
    st.stop()
me = mine.iloc[0]
method = load_method(data.load(published.run_method, run_id, scope=None))
indicators = method.indicators_for(me["peer_group"])
own = data.load(published.my_indicators, run_id, scope=ctx.scope).set_index("indicator")
bench = data.load(published.peer_benchmark, run_id, scope=ctx.scope).set_index("measure")
st.caption(f"{ctx.account.display_name} · {fmt.PEER_GROUPS[me['peer_group']]} · {ctx.year} 年度综合评价"
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
cols[1].metric(f"组内名次（共 {peers} 家）" if peers else "组内名次", f"第 {me['rank']} 名", border=True,
               help=f"权重扰动重算的名次区间：第 {me['rank_p05']:.0f}–{me['rank_p95']:.0f} 名")
cols[2].metric("等级（R15）", me["grade"], "需约谈" if me["interview"] else None, delta_color="inverse", border=True)
cols[3].metric("遴选（R13）", "入选" if me["selected"] else "未入选",
               me["change_label"] if pd.notna(me["change_label"]) else None, delta_color="off", border=True,
               help=me["selection_reason"])
cols[4].metric("监管评价加分（R14）", f"{me['bonus']:.1f} 分", border=True)
if not me["selected"] and line is not None:
    st.info(f"距入选线（入选机构最低分 {line:.2f}）还差 {line - me['score']:.2f} 分；"
            f"权重扰动重算中入选的比例为 {fmt.percent(me['selection_share'])}。", icon=":material/flag:")

labels = figures.indicator_labels(indicators)
gaps = pd.DataFrame({
    "label": list(labels.values()),
    "raw": [fmt.indicator_value(i, own["raw"].get(i), method.registry) for i in labels],
    "normalised": [own["normalised"].get(i) for i in labels],
    "contribution": [own["contribution"].get(i) for i in labels],
    "median": [bench["median"].get(i) for i in labels],
    "selected_mean": [bench["selected_mean"].get(i) for i in labels],
})
gaps["gap"] = gaps["selected_mean"] - gaps["contribution"]

left, right = st.columns(2)
with left:
    show.chart(figures.score_waterfall, own["contribution"], me, labels, "本机构综合得分构成")
with right:
    if gaps["gap"].notna().any():
        show.chart(figures.gap_to_line, gaps.dropna(subset=["gap"]), "各指标与入选机构平均贡献的差距")
        st.caption("正数（红色）表示本机构在该指标上的得分贡献低于入选机构平均，是追赶的重点。")
    else:
        show.empty("同组入选机构不足，暂不显示差距。")

show.table(gaps, {"label": "指标", "raw": "原始值", "normalised": "标准化得分（0–100）", "contribution": "本机构贡献（分）",
                  "median": "同组中位数（分）", "selected_mean": "入选机构平均（分）", "gap": "差距（分）"}, key="gaps")
