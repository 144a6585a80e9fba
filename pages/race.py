"""赛马 — the horse race (十九): banks and leasing companies side by side, racing month by
month on cumulative volume (an animated bar race) and on the composite score (R12)."""

import streamlit as st

from scoring import overview
from ui import data, figures, results, session, show

ctx = session.context("regulator")
race = data.load(overview.cumulative_by_institution, ctx.year, scope=ctx.scope)

st.title(f"赛马 · {ctx.year} 年")
st.caption("银行业金融机构与融资租赁机构分组比拼（R12）。点击“▶ 播放”观看逐月变化，拖动滑块查看某个月。")

st.subheader("累计投放")
columns = st.columns(2)
for column, group in zip(columns, ("bank", "leasing"), strict=True):
    with column:
        if (race["peer_group"] == group).any():
            show.chart(figures.volume_race, race, group, key=f"volume_race_{group}")
        else:
            show.empty("本组暂无机构。")

st.subheader("综合得分")
scores = results.scores_by_year(ctx)
periods = scores.drop_duplicates("period")
published = "、".join(periods.loc[periods["published"], "period"]) or "无"
estimated = "、".join(periods.loc[~periods["published"], "period"]) or "无"
st.caption(f"逐年度综合评价得分。已发布：{published}；按当前数据实时测算：{estimated}。红色虚线为 60 分合格线。")
columns = st.columns(2)
for column, group in zip(columns, ("bank", "leasing"), strict=True):
    with column:
        if (scores["peer_group"] == group).any():
            show.chart(figures.score_race, scores, group, key=f"score_race_{group}")
        else:
            show.empty("本组暂无评分机构。")
