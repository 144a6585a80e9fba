"""年末预测 on the pages (scoring/forecast.py): the bank's "at this pace", and the projected final
order beside the current one in the institutions' and the districts' races."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring import forecast
from ui import data, fmt, foresight, show


def _view(ctx) -> forecast.View:
    with st.spinner("正在按目前进度推算年末结果……"):
        return data.load(forecast.view, ctx.year, ctx.until, scope=ctx.scope, method=ctx.method, policy=ctx.policy)


def at_this_pace(ctx) -> None:
    """The institution's own projected year end: score and interval, rank, grade, chance of selection,
    the indicators that decide it and what it would take."""
    if not ctx.year_to_date:
        return
    found = _view(ctx)
    st.subheader(f"按目前进度：{ctx.year} 年末预计")
    if found.institutions.empty or pd.isna(found.institutions.iloc[0]["projected_score"]):
        show.empty("按目前进度，本机构年末仍不满足参评条件（笔数不足或被一票否决），暂无预计结果。")
        return
    me = found.institutions.iloc[0]
    cols = st.columns(4)
    cols[0].metric("预计年末得分", f"{me['projected_score']:.1f}",
                   f"年初至今 {me['score_to_date']:.1f}" if pd.notna(me["score_to_date"]) else None, delta_color="off",
                   delta_arrow="off", border=True,
                   help=f"区间 {me['projected_score_low']:.1f}–{me['projected_score_high']:.1f}（5%–95%）")
    cols[1].metric("预计组内名次", f"第 {int(me['projected_rank'])} 名", border=True,
                   help=f"区间：第 {int(me['projected_rank_best'])}–{int(me['projected_rank_worst'])} 名")
    cols[2].metric("预计等级（R15）", me["projected_grade"], border=True)
    cols[3].metric("入选概率（R13）", fmt.percent(me["selection_chance"], 0),
                   "预计入选" if me["projected_selected"] else "预计未入选", delta_color="off", delta_arrow="off",
                   border=True)
    st.markdown(f"- **决定结果的指标**：{me['decisive'] or '—'}\n- **还需做到**：{me['what_it_takes'] or '—'}")
    st.caption(f"{found.pace}；{found.interval}。")


def projected_race(ctx, subject: str) -> None:
    """Current (year-to-date) order beside the projected year-end order: institutions by peer group
    (the regulator) or the 41 units (`subject="district"`, the user's own highlighted)."""
    if not ctx.year_to_date:
        return
    found = _view(ctx)
    if subject == "district":
        frame = found.districts.assign(label=lambda f: f["name"], rank=lambda f: f["rank_to_date"],
                                       score=lambda f: f["score_to_date"])
        own = frame.loc[frame["district_code"] == ctx.scope.district_code, "name"]
        show.chart(foresight.projected_order, frame[_COLUMNS], "区县赛马：目前名次与预计年末名次",
                   own.iloc[0] if len(own) else None)
        show.table(frame, {"name": "区县", "rank_to_date": "目前名次", "projected_rank": "预计年末名次",
                           "projected_score": "预计得分", "projected_score_low": "区间下限",
                           "projected_score_high": "区间上限", "projected_grade": "预计梯队"}, key="projected_districts")
    else:
        scored = found.institutions[found.institutions["status"] == "scored"]
        columns = st.columns(2)
        for column, group in zip(columns, ("bank", "leasing"), strict=True):
            rows = scored[scored["peer_group"] == group].assign(
                label=lambda f: f["name"], rank=lambda f: f["rank_to_date"], score=lambda f: f["score_to_date"]
            ).dropna(subset=["rank", "projected_rank"])
            with column:
                if rows.empty:
                    show.empty("本组暂无可比的年初至今名次。")
                    continue
                show.chart(foresight.projected_order, rows[_COLUMNS],
                           f"{fmt.PEER_GROUPS[group]}：目前名次与预计年末名次（红色为名次会变的机构）")
        show.table(scored, {"name": "机构", "rank_to_date": "目前名次", "projected_rank": "预计年末名次",
                            "projected_score": "预计得分", "projected_score_low": "区间下限",
                            "projected_score_high": "区间上限", "projected_grade": "预计等级",
                            "selection_chance": "入选概率"}, percent=("selection_chance",), key="projected_institutions")
    st.caption(f"{found.pace}；{found.interval}。")


_COLUMNS = ["label", "rank", "projected_rank", "score", "projected_score", "projected_score_low", "projected_score_high"]
