"""区县赛马 — the district horse race (R16, 十九): all 41 units ranked, one unit highlighted
(a district official's own; for the regulator the one chosen), its indicators D1–D5 against
the median unit, and its trend."""

import streamlit as st

from scoring import dashboard, published
from scoring.access import Scope
from scoring.method import load_method
from ui import data, figures, fmt, results, session, show

ctx = session.context("regulator", "district")
st.title(f"区县赛马 · {ctx.year} 年")
if ctx.role == "regulator":
    chosen = results.choose(ctx, live=False)
    run_id = chosen.run_id if chosen else None
else:
    run_id = data.load(published.published_run, ctx.year, scope=None)
if run_id is None:
    show.empty(f"{ctx.year} 年度区县赛马结果尚未{'保存' if ctx.role == 'regulator' else '发布'}。")
    st.stop()

race = data.load(published.district_race, run_id, scope=None)
if ctx.role == "regulator":
    names = dict(zip(race["district_code"], race["name"], strict=True))
    code = st.selectbox("查看区县", list(names), format_func=names.get, key="district_race_unit")
    scope = Scope("district", district_code=code)
else:
    code, scope = ctx.scope.district_code, ctx.scope
me = race.set_index("district_code").loc[code]
method = load_method(data.load(published.run_method, run_id, scope=None))
indicators = method.indicators_for("district")

cols = st.columns(3)
cols[0].metric("区县赛马名次", f"第 {me['rank']} 名 / {len(race)}", border=True,
               help=f"权重扰动重算的名次区间：第 {me['rank_p05']:.0f}–{me['rank_p95']:.0f} 名")
cols[1].metric("区县赛马得分", f"{me['score']:.2f}", border=True)
cols[2].metric("评价运行", run_id, border=True)

left, right = st.columns([2, 3])
with left:
    show.chart(figures.district_scores, race, f"{ctx.year} 年区县赛马（{me['name']}突出显示）", code)
with right:
    compared = data.load(published.district_comparison, run_id, scope=scope)
    labels = figures.indicator_labels(indicators)
    table = compared.assign(
        label=compared["indicator"].map(labels),
        raw=[fmt.indicator_value(i, v) for i, v in zip(compared["indicator"], compared["raw"], strict=True)],
        median_raw=[fmt.indicator_value(i, v) for i, v in zip(compared["indicator"], compared["median_raw"],
                                                               strict=True)],
    )
    st.markdown(f"**{me['name']}的赛马指标**（与41个区县的中位数比较）")
    show.table(table, {"label": "指标", "raw": "本区县原始值", "median_raw": "区县中位数", "contribution": "本区县得分（分）",
                       "median_contribution": "中位数得分（分）", "weight": "权重"}, percent=("weight",),
               key="district_indicators")
    monthly = data.load(dashboard.monthly, ctx.year, scope=scope, until=ctx.until)
    show.chart(figures.monthly_amount, monthly, f"{me['name']}：{ctx.year} 年企业获得技改专项贷（按月）")

history = data.load(published.district_history, scope=scope)
if len(history) > 1:
    st.markdown("**历年名次（已发布）**：" + "；".join(f"{r.year} 年第 {r.rank} 名（{r.score:.2f} 分）"
                                                 for r in history.itertuples()))
