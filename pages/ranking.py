"""排名 — the comprehensive evaluation per peer group (R12–R15): every indicator's
contribution, grade, selection for next year (stays / joins / leaves, R13), bonus points
(R14) and how robust each rank is (its 5–95 % band over perturbed re-runs)."""

import pandas as pd
import streamlit as st

from scoring.method import INSTITUTION_GROUPS
from scoring import distance
from ui import data, figures, fmt, results, session, show

ctx = session.context("regulator")
st.title(f"排名 · {ctx.year} 年")
result = results.choose(ctx)
st.caption(f"评价办法：{result.method.name}（版本 {result.method.version}）；合格线 "
           f"{result.method.lines.qualifying:g} 分，每组遴选 {result.method.selection.k_min}–"
           f"{result.method.selection.k_max} 家（R13）；加分最高 {result.method.bonus.points:g} 分（R14）。")


def ranking_table(group_rows: pd.DataFrame, indicators) -> None:
    """The scored institutions with every figure; the vetoed and unscored below them with the reason (never "None")."""
    unscored = group_rows[group_rows["status"] != "scored"]
    group_rows = group_rows[group_rows["status"] == "scored"]
    rows = group_rows.assign(
        selected_text=group_rows["selected"].map({True: "入选", False: ""}),
        interview_text=group_rows["interview"].map({True: "约谈", False: ""}),
        band=[f"{a}–{b}" if pd.notna(a) else "" for a, b in zip(group_rows["rank_p05"], group_rows["rank_p95"],
                                                                 strict=True)],
    )
    columns = {"rank": "名次", "name": "机构", "score": "综合得分", "grade": "等级", "selected_text": "遴选",
               "change_label": "名单变化", "bonus": "加分", "interview_text": "约谈", "band": "名次区间",
               "selection_share": "入选概率"}
    group = (group_rows if len(group_rows) else unscored)["peer_group"].iloc[0]
    # fits 1440 px without sideways scrolling: the indicators and the reasons go to the expander below
    show.table(rows, columns, percent=("selection_share",), key=f"ranking_{group}",
               widths={"rank": 48, "name": "large", "score": 78, "grade": 56, "selected_text": 48,
                       "change_label": 74, "bonus": 52, "interview_text": 48, "band": 78, "selection_share": 78},
               helps={"band": "名次的第5至第95百分位（稳健性重算，见页末说明）", "selection_share": "重算中进入遴选名单的比例",
                      "bonus": "监管加分（R14），已计入综合得分"})
    with st.expander("各指标得分贡献与遴选说明", icon=":material/table_chart:"):
        contributions = {f"{ind.id}_contrib": ind.id for ind in indicators}
        show.table(rows, {"name": "机构", **contributions, "selection_reason": "遴选说明"},
                   key=f"contrib_{group}", widths={"name": "medium", **dict.fromkeys(contributions, 52)},
                   helps={f"{ind.id}_contrib": f"{figures.indicator_label(ind)}：对综合得分的贡献（分）"
                          for ind in indicators})
        st.caption("各列为该指标对综合得分的贡献（分），悬停列名可见指标全称；各列之和加监管加分即综合得分。")
    if len(unscored):
        st.markdown(f"**不参与排名（{len(unscored)} 家）**：不计名次、得分和入选概率，原因如下。")
        show.table(unscored.assign(interview_text=unscored["interview"].map({True: "约谈", False: ""})),
                   {"name": "机构", "status_label": "情形", "reason": "原因", "interview_text": "约谈",
                    "interview_reason": "约谈事由"}, key=f"unscored_{group}")


table = result.institutions
scored = table[table["status"] == "scored"]
interviewed = table["interview"].astype(bool)
order = [label for label, _ in result.method.lines.grades] + [result.method.lines.lowest_grade]
left, right = st.columns([3, 2])
with left:
    show.chart(figures.grade_distribution, table, order, f"{ctx.year} 年度等级分布（R15）", key="grades")
with right:
    counts = scored["grade"].value_counts()
    st.metric("参评机构", f"{len(scored)} 家", border=True,
              help="一票否决和当年技改专项贷不足最低笔数的机构列示但不评分，不计入等级分布。")
    st.metric("约谈名单", f"{int(interviewed.sum())} 家（占参评 {interviewed.sum() / max(len(scored), 1):.0%}）",
              border=True, help="综合评价等级为四级，或“3个1”限时办结达标率低于约谈线的机构（R15）。")
    st.caption("等级：" + "，".join(f"{g} {int(counts.get(g, 0))} 家" for g in order)
               + f"。等级线 {'、'.join(f'{g} ≥ {b:g}' for g, b in result.method.lines.grades)} 分，按评价办法的绝对目标区间计分，"
               "一家机构的等级不因其他机构的多少而改变。")

moves = data.derived(distance.moves, results.key(result), table, result.method)


def distance_table(group_rows: pd.DataFrame) -> None:
    """Per institution: the next grade and the selection line, the points short, and the easiest way to close it."""
    group = group_rows["peer_group"].iloc[0]
    lines = data.derived(distance.summary, (*results.key(result), group), group_rows, moves, result.method, order[0])
    show.table(lines, {"name": "机构", "score": "综合得分", "goal": "目标", "goal_score": "目标分数线",
                       "gap": "差距（分）", "how": "单项指标做到即可补足差距（其他指标不变）"}, key=f"distance_{group}")


for tab, group in zip(st.tabs([fmt.PEER_GROUPS[g] for g in INSTITUTION_GROUPS]), INSTITUTION_GROUPS, strict=True):
    with tab:
        rows = result.institutions[result.institutions["peer_group"] == group]
        if rows.empty:
            show.empty("本组没有机构。")
            continue
        indicators = result.method.indicators_for(group)
        chosen = rows[rows["selected"]].sort_values("rank")
        st.markdown(f"**下一年度合作机构（{len(chosen)} 家）**：" + ("、".join(
            f"{r.name}（{r.change_label}）" for r in chosen.itertuples()) or "无"))
        leaving = rows[rows["change"] == "leaves"]
        if len(leaving):
            st.markdown("**退出合作名单**：" + "、".join(f"{r.name}（{r.selection_reason}）" for r in leaving.itertuples()))
        ranking_table(rows, indicators)
        with st.expander("距下一等级和入选线还差多少", icon=":material/trending_up:"):
            distance_table(rows)
            st.caption("差距按公布得分计；指标改进按评价办法的目标区间折算（同类机构的上下限），"
                       "单项指标不足以补足时列出组合改进。")
        left, right = st.columns(2)
        with left:
            show.chart(figures.contribution_stack, rows, figures.indicator_labels(indicators),
                       f"{fmt.PEER_GROUPS[group]}：各指标得分贡献", key=f"stack_{group}")
        with right:
            show.chart(figures.rank_band, rows, f"{fmt.PEER_GROUPS[group]}：名次及其稳健区间", key=f"band_{group}")
        robust = result.method.robustness
        st.caption(f"名次区间：各权重乘以 {robust.weight_low:g}–{robust.weight_high:g} 之间的随机系数并轮换标准化方法重算"
                   "后，名次的第5至第95百分位；入选概率为重算中进入遴选名单的比例。")
