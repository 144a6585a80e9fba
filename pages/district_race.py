"""区县赛马 — the district horse race (R16, 十九): a map of the 41 units coloured by race score or
any D indicator, the ranking, one unit in detail (a district official's own by default; a click on
the map or the selector picks another), its indicators against the median unit, its rank month by
month against last year, the peers ranked around it, and its trend. The race and its data are
public among districts; a unit's loans month by month are shown for the user's own scope only."""

import pandas as pd
import streamlit as st

from scoring import dashboard, published, race
from scoring.access import Scope
from ui import data, figures, fmt, foresight, geo, projection, results, session, show, today

UNIT = "district_race_unit"  # session key: the unit the detail panels show
CLICKED = "district_race_clicked"  # session key: the last map click already applied
MAP = "district_map"

ctx = session.context("regulator", "district")
st.title(f"区县赛马 · {ctx.year} 年")
today.panel(ctx, ("district",))  # 今日提醒 (scoring/digest.py)
year = ctx.year
if ctx.role == "regulator" and not results.year_runs(ctx.year).empty:
    run_id = results.choose(ctx, live=False).run_id
else:
    run_id = data.load(published.published_run, ctx.year, scope=None)
    earlier = [y for y in reversed(ctx.window.years) if y < ctx.year]
    while run_id is None and earlier:  # the year is still running: show the latest published race
        year = earlier.pop(0)
        run_id = data.load(published.published_run, year, scope=None)
    if run_id is None:
        show.empty(f"{ctx.year} 年度区县赛马结果尚未{'保存' if ctx.role == 'regulator' else '发布'}。")
        st.stop()
    if year != ctx.year:
        st.info(f"{ctx.year} 年度区县赛马结果尚未发布，以下为最近一次发布的 {year} 年度结果。"
                f"本年进度见“储备库台账”与下方的本年月度投放。", icon=":material/history:")

units = data.load_shared(published.district_map, run_id, scope=None)
names = dict(zip(units["district_code"], units["name"], strict=True))
own = ctx.scope.district_code  # None for the regulator
method = session.method_of(data.load(published.run_method, run_id, scope=None))
indicators = method.indicators_for("district")
labels = figures.indicator_labels(indicators)

# a click on the map from the last run selects its unit (before the selector is drawn)
event = st.session_state.get(MAP)
points = event.get("selection", {}).get("points", []) if event else []
clicked = points[0]["customdata"][0] if points and points[0].get("customdata") else None
if clicked in names and clicked != st.session_state.get(CLICKED):
    st.session_state[CLICKED] = st.session_state[UNIT] = clicked
if st.session_state.get(UNIT) not in names:
    st.session_state[UNIT] = own or units["district_code"].iloc[0]

top = st.columns([2, 2, 3] if ctx.role == "regulator" else [3, 4])
if ctx.role == "regulator":
    top[0].selectbox("查看区县（也可点击地图）", list(names), format_func=names.get, key=UNIT)
elif st.session_state[UNIT] != own:
    top[0].button(f"回到本区县（{names[own]}）", icon=":material/my_location:",
                  on_click=lambda: st.session_state.update({UNIT: own}))
code = st.session_state[UNIT]
measure = top[-2].selectbox("地图着色", ["score", *labels], key="district_map_measure",
                            format_func=lambda m: "区县赛马得分（分）" if m == "score" else labels[m])
me = units.set_index("district_code").loc[code]

if measure == "score":
    factor, unit, label = 1.0, "分", "赛马得分（分）"
    shown = units.assign(value=units["score"], text=[f"{v:.2f} 分" for v in units["score"]])
else:
    factor, unit = fmt.indicator_scale(measure, method.registry)
    label = f"{labels[measure]}（{unit}）"
    shown = units.assign(value=units[measure] * factor,
                         text=[fmt.indicator_value(measure, v, method.registry) for v in units[measure]])

cols = st.columns(4)
cols[0].metric(f"{me['name']} · 赛马名次", f"第 {me['rank']} 名 / {len(units)}", border=True,
               help="权重扰动重算的名次区间见下方排名图的悬停提示。")
cols[1].metric("区县赛马得分", f"{me['score']:.2f} 分", border=True)
if own and code != own:
    mine = units.set_index("district_code").loc[own]
    cols[2].metric(f"本区县（{mine['name']}）", f"第 {mine['rank']} 名 · {mine['score']:.2f} 分", border=True)
else:
    cols[2].metric("全市中位得分", f"{units['score'].median():.2f} 分", border=True)
cols[3].metric("评价运行", run_id, border=True)

left, right = st.columns([1, 1])
with left:
    show.chart(figures.district_map, shown, label,
               f"{year} 年区县赛马地图 · {label}（红框为本区县，黑框为所选）" if own
               else f"{year} 年区县赛马地图 · {label}（黑框为所选区县）",
               own, code, key=MAP, config=geo.MAP_CONFIG, on_select="rerun")
    st.caption("38 个区县按边界着色，两江新区、西部科学城重庆高新区、万盛经开区为菱形标记（无行政边界，位置为示意）。"
               "点击区县或标记查看其详情。边界数据：GaryBikini/ChinaAdminDivisonSHP（MIT 许可）。")
with right:
    benchmark = data.load(published.district_benchmark, run_id, scope=None).set_index("indicator")
    rows = [{"label": labels[i], "value": fmt.indicator_value(i, me[i], method.registry),
             **({"own": fmt.indicator_value(i, units.set_index("district_code").loc[own, i], method.registry)}
                if own and code != own else {}),
             "median": fmt.indicator_value(i, benchmark["median_raw"].get(i), method.registry),
             "weight": method.weights("district")[i]} for i in labels]
    st.markdown(f"**{me['name']}的赛马指标**（与 41 个单位的中位数比较）")
    columns = {"label": "指标", "value": me["name"]}
    if own and code != own:
        columns["own"] = f"本区县（{names[own]}）"
    show.table(pd.DataFrame(rows), columns | {"median": "区县中位数", "weight": "权重"},
               percent=("weight",), key="district_indicators")

peers = published.peers_around(units, code)
st.markdown(f"**名次相邻的区县**（{me['name']}前后各 3 名，赛马数据向各区县公开）")
scales = {i: fmt.indicator_scale(i, method.registry) for i in labels}
show.table(peers.assign(**{i: peers[i] * scales[i][0] for i in labels}),
           {"rank": "名次", "name": "区县", "score": "得分（分）"} | {i: f"{i}（{scales[i][1]}）" for i in labels},
           key="district_peers")
st.caption("；".join(labels.values()) + "。")

left, right = st.columns([2, 3])
with left:
    show.chart(figures.district_scores, units, f"{year} 年区县赛马（{me['name']}突出显示）", code)
with right:
    scope = Scope("district", district_code=code) if ctx.role == "regulator" else ctx.scope
    monthly = data.load(dashboard.monthly, ctx.year, scope=scope, until=ctx.until)
    unit_name = me["name"] if ctx.role == "regulator" else names[own]
    show.chart(figures.monthly_amount, monthly, f"{unit_name}：{ctx.year} 年企业获得技改专项贷（按月）")

ranks = [data.load_shared(race.monthly_district_ranks, y, method=ctx.method, policy=ctx.policy, scope=None)
         for y in (ctx.year - 1, ctx.year) if y in ctx.window.years]
ranks = pd.concat(ranks, ignore_index=True) if ranks else pd.DataFrame()
mine = ranks[ranks["district_code"] == code] if len(ranks) else ranks
if len(mine):
    show.chart(figures.rank_by_month, mine[["year", "month", "score", "rank"]],
               f"{me['name']}：逐月名次（年初至当月末，与上年同月比较）", len(units))
    st.caption("逐月名次按当前评价办法、以年初至各月末的数据实时测算（不含稳健性分析），与已发布的年度结果可能不同。")

if ctx.year_to_date:  # the projected year-end race (issue 11 §1): public among districts, as the race is
    view = projection.load(ctx)
    ahead = view.districts
    chosen = ahead[ahead["district_code"] == code]
    st.subheader(f"按目前进度：{ctx.year} 年末区县赛马预计名次")
    if len(chosen):
        unit = chosen.iloc[0]
        cols = st.columns(3)
        cols[0].metric(f"{unit['name']} · 预计年末名次", f"第 {int(unit['projected_rank'])} 名 / {len(ahead)}",
                       f"区间 第 {int(unit['projected_rank_best'])}–{int(unit['projected_rank_worst'])} 名",
                       delta_color="off", delta_arrow="off", border=True,
                       help=f"年初至今第 {int(unit['rank_to_date'])} 名")
        cols[1].metric("预计年末赛马得分", f"{unit['projected_score']:.2f} 分", f"区间 {projection.band(chosen)[0]}",
                       delta_color="off", delta_arrow="off", border=True)
        cols[2].metric("预计梯队", unit["projected_grade"], border=True,
                       help="41 个单位按名次分三档：第 1–14 名第一梯队，15–28 名第二梯队，29–41 名第三梯队")
    left, right = st.columns([3, 2])
    with left:
        show.chart(foresight.projected_order, projection.order(ahead),
                   f"区县赛马：目前名次（截至 {ctx.until.month} 月 {ctx.until.day} 日）与预计年末名次",
                   names.get(code), key="district_projected_order")
    with right:
        show.table(ahead.assign(band=projection.band(ahead)),
                   {"projected_rank": "预计年末名次", "name": "区县", "rank_to_date": "目前名次",
                    "projected_score": "预计年末得分", "band": "得分区间（5%–95%）", "projected_grade": "预计梯队"},
                   key="district_projected_table", height=600)
    projection.caption(view)

history = data.load(published.district_history, scope=Scope("district", district_code=code)
                    if ctx.role == "regulator" else ctx.scope)
if len(history) > 1:
    st.markdown("**历年名次（已发布）**：" + "；".join(f"{r.year} 年第 {r.rank} 名（{r.score:.2f} 分）"
                                                 for r in history.itertuples()))
