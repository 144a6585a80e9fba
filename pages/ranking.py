"""排名 — the comprehensive evaluation per peer group (R12–R15): every indicator's
contribution, grade, selection for next year (stays / joins / leaves, R13), bonus points
(R14) and how robust each rank is (its 5–95 % band over perturbed re-runs)."""

import pandas as pd
import streamlit as st

from scoring.method import INSTITUTION_GROUPS
from ui import figures, fmt, results, session, show

ctx = session.context("regulator")
st.title(f"排名 · {ctx.year} 年")
result = results.choose(ctx)
st.caption(f"评价办法：{result.method.name}（{result.method.id} {result.method.version}）；合格线 "
           f"{result.method.lines.qualifying:g} 分，每组遴选 {result.method.selection.k_min}–"
           f"{result.method.selection.k_max} 家（R13）；加分最高 {result.method.bonus.points:g} 分（R14）。")


def ranking_table(group_rows: pd.DataFrame, indicators) -> None:
    rows = group_rows.assign(
        selected_text=group_rows["selected"].map({True: "入选", False: ""}),
        interview_text=group_rows["interview"].map({True: "约谈", False: ""}),
        band=[f"{a}–{b}" if pd.notna(a) else "" for a, b in zip(group_rows["rank_p05"], group_rows["rank_p95"],
                                                                 strict=True)],
    )
    columns = {"rank": "名次", "name": "机构", "score": "综合得分", "grade": "等级", "selected_text": "遴选",
               "change_label": "名单变化", "bonus": "加分", "interview_text": "约谈", "band": "名次区间（5%–95%）",
               "selection_share": "入选概率"}
    columns |= {f"{ind.id}_contrib": figures.indicator_label(ind) for ind in indicators}
    columns |= {"status_label": "状态", "selection_reason": "说明"}
    show.table(rows, columns, percent=("selection_share",), key=f"ranking_{group_rows['peer_group'].iloc[0]}")


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
        left, right = st.columns(2)
        with left:
            show.chart(figures.contribution_stack, rows, figures.indicator_labels(indicators),
                       f"{fmt.PEER_GROUPS[group]}：各指标得分贡献", key=f"stack_{group}")
        with right:
            show.chart(figures.rank_band, rows, f"{fmt.PEER_GROUPS[group]}：名次及其稳健区间", key=f"band_{group}")
        robust = result.method.robustness
        st.caption(f"名次区间：各权重乘以 {robust.weight_low:g}–{robust.weight_high:g} 之间的随机系数并轮换标准化方法重算"
                   "后，名次的第5至第95百分位；入选概率为重算中进入遴选名单的比例。")
