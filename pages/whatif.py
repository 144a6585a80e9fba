"""情景模拟 — what if the weights were different? Sliders move each indicator's weight; the
engine re-scores and re-selects the peer group (R12, R13) and the page shows the new
ranks beside the old and who would enter or leave next year's list. Nothing is saved."""

import streamlit as st

from scoring import whatif
from scoring.method import INSTITUTION_GROUPS
from ui import figures, fmt, results, session, show

ctx = session.context("regulator")
st.title(f"情景模拟 · {ctx.year} 年")
result = results.choose(ctx)
group = st.segmented_control("机构类别", INSTITUTION_GROUPS, format_func=fmt.PEER_GROUPS.get, default="bank",
                             required=True, key="whatif_group")
indicators = result.method.indicators_for(group)

st.caption("拖动滑块调整权重（0 表示不使用该指标），其余指标按比例归一；模拟结果不保存、不影响已发布的评价。")
weights = {}
columns = st.columns(4)
for i, ind in enumerate(indicators):
    current = float(ind.weights[group])
    weights[ind.id] = columns[i % 4].slider(figures.indicator_label(ind), 0.0, 40.0, current, step=1.0, format="%.0f",
                                            key=f"whatif_{group}_{ind.id}_{current:g}", help=ind.name)

total = sum(weights.values())
current_total = sum(float(ind.weights[group]) for ind in indicators)
st.markdown(f"**权重合计：{total:g}**（现行 {current_total:g}；计算时按合计归一，各指标实际权重 = 滑块值 ÷ {total:g}）")
if not any(w > 0 for w in weights.values()):
    st.warning("至少需要一个权重大于 0 的指标。")
    st.stop()

after = whatif.what_if(result.institutions, result.method, group, weights)
compared = whatif.compare(result.institutions, after, group)
joins = compared[~compared["selected_old"] & compared["selected_new"]]
leaves = compared[compared["selected_old"] & ~compared["selected_new"]]

cols = st.columns(3)
cols[0].metric("名次变化的机构", f"{int((compared['move'] != 0).sum())} 家", border=True)
cols[1].metric("将新进入名单", f"{len(joins)} 家", border=True)
cols[2].metric("将退出名单", f"{len(leaves)} 家", border=True)
for column, rows in ((cols[1], joins), (cols[2], leaves)):  # names in full below their card, never truncated
    column.markdown("、".join(rows["name"]) or "无")

show.chart(figures.rank_shift, compared.rename(columns={"rank_old": "rank", "selected_old": "selected"}), after,
           f"{fmt.PEER_GROUPS[group]}：现行与模拟名次（粗线为遴选结果改变的机构）")
shown = compared.sort_values("rank_new").assign(
    selected_old=compared["selected_old"].map({True: "入选", False: ""}),
    selected_new=compared["selected_new"].map({True: "入选", False: ""}),
)
show.table(shown, {"name": "机构", "rank_old": "现行名次", "rank_new": "模拟名次", "move": "上升位次",
                   "score_old": "现行得分", "score_new": "模拟得分", "selected_old": "现行遴选",
                   "selected_new": "模拟遴选"}, key="whatif_table")
