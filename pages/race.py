"""赛马 — the horse race (十九): banks and leasing companies side by side, racing month by
month on cumulative volume and on the year-to-date composite score (R12), each an
animated bar race with a play button and a month slider; while the year runs, the projected
year-end order beside the current one (scoring/forecast.py)."""

from datetime import date

import streamlit as st

from scoring import dashboard, race
from ui import data, figures, foresight, fmt, projection, session, show

ctx = session.context("regulator")
volume = data.load(dashboard.cumulative_by_institution, ctx.year, scope=ctx.scope, until=ctx.until)

st.title(f"赛马 · {ctx.year} 年")
st.caption("银行业金融机构与融资租赁机构分组比拼（R12）。点击“▶ 播放”观看逐月变化，拖动滑块查看某个月。")


def side_by_side(builder, frame, key: str, empty_text: str, *more) -> None:
    """The race of banks (left) and of leasing companies (right); `more` goes to `builder`."""
    for column, group in zip(st.columns(2), ("bank", "leasing"), strict=True):
        with column:
            if (frame["peer_group"] == group).any():
                show.chart(builder, frame, group, *more, key=f"{key}_{group}")
            else:
                show.empty(empty_text)


st.subheader("累计投放")
side_by_side(figures.volume_race, volume, "volume_race", "本组暂无机构。")

st.subheader("综合得分")
with st.spinner("正在逐月测算综合得分……"):
    scores = data.load_shared(race.monthly_scores, ctx.year, method=ctx.method, policy=ctx.policy, scope=ctx.scope)
last_day = ctx.window.last_day
partial = (f"；{last_day.month} 月数据截至 {last_day:%Y-%m-%d}"
           if last_day and last_day.year == ctx.year and last_day < date(ctx.year, 12, 31) else "")
st.caption(
    "逐月综合得分为**年初至当月末的累计得分**，按本年度评价办法（已发布评价所用的办法，未发布时为默认办法）实时测算（不含稳健性分析、未保存），"
    "可能与已发布的年度评价结果不同。每月只计入截至当月末已发生的业务：发放与签约、到期的“3个1”环节、"
    "已上线的创新产品；增长率与上年同期相比，揭榜承诺按序时进度折算；笔数未达最低要求或被一票否决的机构当月不参赛"
    f"{partial}。红色虚线为 {ctx.method.lines.qualifying:g} 分合格线。"
)
side_by_side(figures.score_race, scores, "score_race", "本组暂无可评价的机构。", ctx.method.lines.qualifying)

st.subheader("按目前进度：预计年末名次")
if not ctx.year_to_date:
    show.empty(f"{ctx.year} 年已结束，名次即全年评价结果（见“排名”）。选择本年度的观察日查看年末推算。")
else:
    view = projection.load(ctx)
    for column, group in zip(st.columns(2), ("bank", "leasing"), strict=True):
        with column:
            rows = view.institutions[view.institutions["peer_group"] == group]
            order = projection.order(rows)
            if order.empty:
                show.empty("本组暂无可评价的机构。")
                continue
            show.chart(foresight.projected_order, order,
                       f"{fmt.PEER_GROUPS[group]}：目前名次（截至 {ctx.until.month} 月 {ctx.until.day} 日）与预计年末名次",
                       key=f"projected_{group}")
            ranked = rows.dropna(subset=["projected_rank"])
            show.table(ranked.assign(band=projection.band(ranked)),
                       {"projected_rank": "预计年末名次", "name": "机构", "rank_to_date": "目前名次",
                        "projected_score": "预计年末得分", "band": "得分区间（5%–95%）", "projected_grade": "预计等级",
                        "selection_chance": "入选概率"}, percent=("selection_chance",), key=f"projected_table_{group}")
    projection.caption(view)
