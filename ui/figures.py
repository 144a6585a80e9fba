"""Plotly figure builders: pure functions from frames to `go.Figure`, testable without
Streamlit. Every chart has a title and axis titles with units (亿元, 万元, %, 工作日),
and an institution has the same colour on every page (`institution_color`).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ui import fmt, geo, palette
from ui.palette import LINE, MUTED, institution_color

HIGHLIGHT = palette.FOCUS  # the user's own institution or district
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _layout(fig: go.Figure, title: str, x: str, y: str, **extra) -> go.Figure:
    """Title, axis titles (with units), the CJK font and compact margins; `extra` overrides."""
    fig.update_layout({
        "title": {"text": title, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top", "yref": "container"},
        "xaxis_title": x,
        "yaxis_title": y,
        "font_family": FONT,
        "legend_title_text": "",
        "margin": {"l": 10, "r": 10, "t": 90, "b": 10},
        "separators": ".,",
        **extra,
    })
    # full numbers with thousands separators, never SI suffixes (20k, 1.5M) on a 万元 or 亿元 axis
    fig.update_xaxes(exponentformat="none", separatethousands=True, gridcolor=palette.GRID)
    fig.update_yaxes(exponentformat="none", separatethousands=True, gridcolor=palette.GRID)
    return fig


TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom"}  # under the title


def _monthly_axis(fig: go.Figure) -> None:
    """A date axis labelled 2025年3月, one tick a month or fewer as space allows."""
    fig.update_xaxes(type="date", tickformat="%Y年%-m月", hoverformat="%Y年%-m月")


def monthly_amount(monthly: pd.DataFrame, title: str = "月度投放金额") -> go.Figure:
    """Bars of each month's amount and a line of the running total, both in 亿元."""
    months = pd.to_datetime(monthly["month"])
    fig = go.Figure([
        go.Bar(x=months, y=fmt.yi_column(monthly["amount"]), name="当月投放", marker_color=palette.NEUTRAL,
               hovertemplate="%{x}<br>当月 %{y:,.2f} 亿元<extra></extra>"),
        go.Scatter(x=months, y=fmt.yi_column(monthly["cumulative_amount"]), name="年内累计", mode="lines+markers",
                   line_color=HIGHLIGHT, hovertemplate="%{x}<br>累计 %{y:,.2f} 亿元<extra></extra>"),
    ])
    _monthly_axis(fig)
    return _layout(fig, title, "月份", "金额（亿元）", legend=TOP_LEGEND)


def rate_vs_lpr(monthly: pd.DataFrame, title: str = "贷款加权平均利率与同期LPR") -> go.Figure:
    """Amount-weighted mean rate against the mean LPR of the same loans, month by month, in %."""
    months = pd.to_datetime(monthly["month"])
    fig = go.Figure([
        go.Scatter(x=months, y=monthly["mean_rate"].astype(float) * 100, name="加权平均执行利率",
                   mode="lines+markers", line_color=HIGHLIGHT,
                   hovertemplate="%{x}<br>执行利率 %{y:.2f}%<extra></extra>"),
        go.Scatter(x=months, y=monthly["mean_lpr"].astype(float) * 100, name="同期LPR", mode="lines+markers",
                   line={"color": LINE, "dash": "dash"}, hovertemplate="%{x}<br>LPR %{y:.2f}%<extra></extra>"),
    ])
    _monthly_axis(fig)
    return _layout(fig, title, "月份", "年利率（%）", legend=TOP_LEGEND)


def volume_race(race: pd.DataFrame, peer_group: str) -> go.Figure:
    """The animated bar race of one peer group: cumulative amount (亿元) month by month.

    One bar trace per month (a frame); each bar is keyed by its inst_id (`ids`) and sits
    at the institution's place that month (`race_position`), so bars slide past each
    other as the animation plays. The still picture is the last month; the slider picks
    any month, and ▶ 播放 runs from January.
    """
    rows = race[race["peer_group"] == peer_group]
    months = sorted(rows["month"].unique())
    labels = [fmt.month_label(m) for m in months]
    top = max(fmt.yi(rows["cumulative_amount"].max()), 0.0) * RACE_ROOM or 1.0
    frames = [go.Frame(data=[_race_bars(rows[rows["month"] == month])], name=label)
              for month, label in zip(months, labels, strict=True)]
    fig = go.Figure(data=frames[-1].data if frames else [], frames=frames)
    fig.update_xaxes(range=[0, top])
    return _race_layout(fig, f"{fmt.PEER_GROUPS[peer_group]}：累计投放赛马", "累计投放金额（亿元）",
                        "名次（按累计投放）", rows["inst_id"].nunique(), labels, "月份：")


RACE_ROOM = 1.08  # the axis runs this far past the longest bar: names and values sit inside long bars


def _race_layout(fig: go.Figure, title: str, x: str, y: str, bars: int, labels: list[str], prefix: str) -> go.Figure:
    """Names beside the bars instead of tick labels; places 1…`bars` from the top on a
    fixed axis (frames do not rescale it, so a racer joining later has its place ready);
    the value axis on top, so the play buttons and the period slider have the bottom."""
    fig.update_yaxes(range=[bars + 0.5, 0.5], autorange=False, showticklabels=False)
    fig.update_xaxes(side="top")
    return _layout(fig, title, x, y, showlegend=False, height=max(380, 24 * bars + 230),
                   margin={"l": 10, "r": 10, "t": 120, "b": 110},
                   updatemenus=[_play_buttons(labels)], sliders=[_period_slider(labels, prefix)])


def _race_bars(rows: pd.DataFrame) -> go.Bar:
    amounts = fmt.yi_column(rows["cumulative_amount"])
    return go.Bar(
        x=amounts, y=rows["race_position"], ids=rows["inst_id"],
        text=[f"{name} {value:,.2f}" for name, value in zip(rows["name"], amounts, strict=True)], customdata=rows["name"],
        orientation="h", marker_color=[institution_color(i) for i in rows["inst_id"]], textfont_size=11,
        textposition="auto", insidetextanchor="start", cliponaxis=False,
        insidetextfont={"color": [palette.text_on(institution_color(i)) for i in rows["inst_id"]]},
        outsidetextfont={"color": LINE},
        hovertemplate="%{customdata}<br>累计 %{x:,.2f} 亿元<extra></extra>",
    )


def _still(duration: int = 0) -> dict:
    return {"frame": {"duration": duration, "redraw": False}, "mode": "immediate",
            "transition": {"duration": duration}}


def _play_buttons(labels: list[str]) -> dict:
    """▶ 播放 runs every period from the first, about half a second each; ❚❚ 暂停 stops."""
    play = {"frame": {"duration": 600, "redraw": False}, "fromcurrent": False,
            "transition": {"duration": 400, "easing": "linear"}}
    return {"type": "buttons", "direction": "left", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
            "pad": {"t": 36}, "showactive": False, "buttons": [
                {"label": "▶ 播放", "method": "animate", "args": [labels, play]},
                {"label": "❚❚ 暂停", "method": "animate", "args": [[None], _still()]},
            ]}


def _period_slider(labels: list[str], prefix: str) -> dict:
    return {"active": len(labels) - 1, "x": 0.2, "len": 0.8, "y": 0, "yanchor": "top", "pad": {"t": 20},
            "currentvalue": {"prefix": prefix, "visible": True, "xanchor": "right", "font": {"size": 12}},
            "steps": [{"label": label, "method": "animate", "args": [[label], _still()]} for label in labels]}


def compliance_trend(compliance: pd.DataFrame, title: str, interview_below: float, stages: dict[str, str],
                     peer_median: pd.DataFrame | None = None) -> go.Figure:
    """"3个1" compliance (R10) month by month, a line per stage when the frame has stages.

    `compliance` has month ("YYYY-MM"), optionally stage, and compliance_rate (0–1);
    `interview_below` is the method's 约谈 line (R15, 0–1); `stages` names the stages with the
    policy's time limits (`Policy.stage_labels`); `peer_median` (month,
    median_rate) adds the peer group's median as a dashed line.
    """
    fig = go.Figure()
    groups = ([(stage, compliance[compliance["stage"] == stage]) for stage in stages]
              if "stage" in compliance else [(None, compliance)])
    for stage, rows in groups:
        if rows.empty:
            continue
        name = stages[stage] if stage else "三个环节合计"
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(rows["month"]), y=rows["compliance_rate"].astype(float) * 100, name=name,
            mode="lines+markers", hovertemplate="%{x}<br>" + name + " %{y:.1f}%<extra></extra>",
            line={"color": palette.STAGES.get(stage, palette.NEUTRAL)},
        ))
    if peer_median is not None and len(peer_median):
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(peer_median["month"]), y=peer_median["median_rate"].astype(float) * 100,
            name="同组机构中位数", mode="lines", line={"color": LINE, "dash": "dash"},
            hovertemplate="%{x}<br>同组中位数 %{y:.1f}%<extra></extra>",
        ))
    fig.add_hline(y=100 * interview_below, line={"color": HIGHLIGHT, "dash": "dot", "width": 1},
                  annotation_text=f"{fmt.percent(interview_below, 0)} 约谈线（R15）", annotation_position="bottom right")
    fig.update_yaxes(range=[0, 105])
    _monthly_axis(fig)
    return _layout(fig, title, "办结时限所在月份", "按时办结率（%）", legend=TOP_LEGEND)


def compliance_by_institution(frame: pd.DataFrame, title: str, interview_below: float,
                              focus: str | None = None) -> go.Figure:
    """One bar per institution (name, inst_id, compliance_rate 0–1) with its value, the
    institution `focus` highlighted, and the method's interview line of R15 (`interview_below`, 0–1)."""
    rows = frame.sort_values("compliance_rate", ascending=True, na_position="first")
    rates = rows["compliance_rate"].astype(float) * 100
    fig = go.Figure(go.Bar(
        x=rates, y=rows["name"], orientation="h", marker_color=palette.focus_colors(list(rows["inst_id"]), focus),
        text=[f"{r:.1f}%" for r in rates], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>按时办结率 %{x:.1f}%<extra></extra>",
    ))
    fig.add_vline(x=100 * interview_below, line={"color": HIGHLIGHT, "dash": "dot", "width": 1}, layer="below",
                  annotation_text=f"{fmt.percent(interview_below, 0)} 约谈线", annotation_position="top")
    fig.update_xaxes(range=[0, 112], tickvals=list(range(0, 101, 20)))
    return _layout(fig, title, "按时办结率（%）", "机构", showlegend=False, height=max(320, 24 * len(rows) + 120),
                   margin={"l": 10, "r": 50, "t": 90, "b": 10})  # room for the values beside the bars


def amount_by_institution(frame: pd.DataFrame, column: str, title: str, axis: str,
                          focus: str | None = None) -> go.Figure:
    """One bar per institution (name, inst_id and a yuan column) in 万元 with its value, `focus` highlighted."""
    rows = frame.assign(value=fmt.wan_column(frame[column])).sort_values("value")
    fig = go.Figure(go.Bar(
        x=rows["value"], y=rows["name"], orientation="h", marker_color=palette.focus_colors(list(rows["inst_id"]), focus),
        text=[f"{v:,.1f}" for v in rows["value"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>%{x:,.2f} 万元<extra></extra>",
    ))
    top = float(rows["value"].max()) if len(rows) else 0.0
    fig.update_xaxes(range=[0, top * 1.18 or 1])  # room for the values beside the longest bar
    return _layout(fig, title, axis, "机构", showlegend=False, height=max(320, 24 * len(rows) + 120),
                   margin={"l": 10, "r": 60, "t": 90, "b": 10})  # room for the values beside the bars


def indicator_label(indicator) -> str:
    """"V3 服务企业覆盖面": the id and the name up to its first parenthesis."""
    return f"{indicator.id} {indicator.name.split('（')[0]}"


def rank_band(table: pd.DataFrame, title: str) -> go.Figure:
    """Each scored institution's rank (dot) and the 5–95 % band of its rank over the
    robustness re-runs (a bar from rank_p05 to rank_p95, the median marked), best at the top."""
    rows = table.dropna(subset=["rank"]).sort_values("rank")
    lows, highs = rows["rank_p05"].astype(float), rows["rank_p95"].astype(float)
    fig = go.Figure([
        go.Bar(x=highs - lows + 0.001, base=lows - 0.0005, y=rows["name"], orientation="h", name="5%–95% 区间",
               marker_color=[institution_color(i) for i in rows["inst_id"]], opacity=0.35, width=0.5,
               hovertemplate="%{y}<br>名次区间 %{base:.0f}–%{customdata:.0f}<extra></extra>", customdata=highs),
        go.Scatter(x=rows["median_rank"].astype(float), y=rows["name"], mode="markers", name="扰动中位名次",
                   marker={"symbol": "line-ns-open", "size": 16, "color": LINE},
                   hovertemplate="%{y}<br>中位名次 %{x:.0f}<extra></extra>"),
        go.Scatter(x=rows["rank"].astype(float), y=rows["name"], mode="markers", name="本次名次",
                   marker={"size": 10, "color": [institution_color(i) for i in rows["inst_id"]],
                           "line": {"color": LINE, "width": 1}},
                   hovertemplate="%{y}<br>名次 %{x:.0f}<extra></extra>"),
    ])
    fig.update_yaxes(autorange="reversed")
    places = max(int(highs.max()) if len(rows) else 1, 1)
    fig.update_xaxes(range=[0.5, places + 0.5], tick0=1, dtick=1 if places <= 15 else 2, side="top")
    return _layout(fig, title, "名次（1 为最好）", "机构", height=max(320, 26 * len(rows) + 170),
                   legend=TOP_LEGEND, barmode="overlay", margin={"l": 10, "r": 10, "t": 130, "b": 10})


def indicator_labels(indicators) -> dict[str, str]:
    """id → label of the method's indicators, in method order (a plain dict the figure cache can hash)."""
    return {ind.id: indicator_label(ind) for ind in indicators}


def contribution_stack(table: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Stacked horizontal bars: each indicator's contribution (分) to each scored institution's
    composite, so a bar's length is the composite (R12). `labels`: indicator id → label."""
    rows = table.dropna(subset=["rank"]).sort_values("rank")
    fig = go.Figure([
        go.Bar(x=rows[f"{i}_contrib"].astype(float), y=rows["name"], orientation="h", name=label,
               marker_color=palette.indicator_color(i), hovertemplate="%{y}<br>" + label + " %{x:.2f} 分<extra></extra>")
        for i, label in labels.items()
    ])
    totals = rows[[f"{i}_contrib" for i in labels]].astype(float).sum(axis=1)
    fig.add_trace(go.Scatter(x=totals, y=rows["name"], mode="text", text=[f"{t:.1f}" for t in totals],
                             textposition="middle right", showlegend=False, hoverinfo="skip", cliponaxis=False))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], dtick=10)  # a composite runs 0–100
    legend_rows = math.ceil(len(labels) / 3)  # three labels a row in half the page
    return _layout(fig, title, "对综合得分的贡献（分）", "机构", barmode="stack",
                   height=max(340, 26 * len(rows) + 120 + 22 * legend_rows), legend=TOP_LEGEND,
                   margin={"l": 10, "r": 10, "t": 70 + 22 * legend_rows, "b": 10})


def score_waterfall(contributions: pd.Series, row: pd.Series, labels: dict[str, str], title: str) -> go.Figure:
    """One institution's composite built up indicator by indicator, then the deduction for
    flags, ending at the published score (R12). `contributions`: points by indicator id (the
    result's tidy indicator rows); `row`: the institution's inst_id, score and deduction;
    `labels`: indicator id → label."""
    steps = {i: float(contributions[i]) for i in labels}
    names = dict(labels)
    deduction = float(row.get("deduction") or 0.0)
    if deduction:  # flags (R12 "outside the 100")
        steps["扣分"], names["扣分"] = -deduction, "违规与数据质量扣分"
    score = float(row["score"])
    fig = go.Figure(go.Waterfall(
        orientation="v", x=[*steps, "得分"], y=[*steps.values(), score],
        measure=["relative"] * len(steps) + ["total"], textposition="outside",
        text=[f"{v:.1f}" for v in steps.values()] + [f"{score:.2f}"],
        customdata=[*names.values(), "综合得分"], hovertemplate="%{customdata}<br>%{y:.2f} 分<extra></extra>",
        increasing={"marker": {"color": institution_color(row["inst_id"])}},
        decreasing={"marker": {"color": HIGHLIGHT}}, totals={"marker": {"color": LINE}},
    ))
    return _layout(fig, title, "评价指标（悬停查看名称）", "得分（分）", showlegend=False)


def rank_shift(old: pd.DataFrame, new: pd.DataFrame, title: str) -> go.Figure:
    """What-if: each institution's rank under the current weights (left) and the new ones
    (right), a line each; institutions whose selection changes are drawn thick."""
    merged = old[["inst_id", "name", "rank", "selected"]].merge(
        new[["inst_id", "rank", "selected"]], on="inst_id", suffixes=("_old", "_new"))
    fig = go.Figure()
    for row in merged.itertuples():  # one line per institution: at most a few dozen
        changed = row.selected_old != row.selected_new
        fig.add_trace(go.Scatter(
            x=["现行权重", "模拟权重"], y=[row.rank_old, row.rank_new], mode="lines+markers+text",
            name=row.name, text=["", row.name], textposition="middle right", cliponaxis=False,
            line={"color": institution_color(row.inst_id), "width": 4 if changed else 1.5}, textfont_size=11,
            hovertemplate=row.name + "<br>名次 %{y}<extra></extra>",
        ))
    fig.update_yaxes(autorange="reversed", dtick=1)
    return _layout(fig, title, "权重方案", "名次（1 为最好）", showlegend=False,
                   height=max(360, 24 * len(merged) + 140), margin={"l": 10, "r": 240, "t": 90, "b": 10})


def gap_to_line(gaps: pd.DataFrame, title: str) -> go.Figure:
    """Per indicator (label, gap in points = mine − the selected institutions' mean contribution):
    behind (−, drawn in the highlight colour, to the left) or ahead (+)."""
    rows = gaps.sort_values("gap", ascending=False)
    fig = go.Figure(go.Bar(
        x=rows["gap"], y=rows["label"], orientation="h",
        marker_color=[HIGHLIGHT if g < 0 else palette.NEUTRAL for g in rows["gap"]],
        text=[f"{g:+.2f}" for g in rows["gap"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>本机构 − 入选机构平均：%{x:+.2f} 分<extra></extra>",
    ))
    fig.add_vline(x=0, line={"color": LINE, "width": 1})
    return _layout(fig, title, "本机构 − 入选机构平均（分，负数为落后）", "评价指标", showlegend=False,
                   height=max(320, 28 * len(rows) + 120))


def district_scores(table: pd.DataFrame, title: str, highlight: str | None = None) -> go.Figure:
    """All units ranked by their R16 score, one bar each; `highlight` (a district code) in red."""
    rows = table.sort_values("rank")
    colors = [HIGHLIGHT if code == highlight else (MUTED if highlight else palette.NEUTRAL)
              for code in rows["district_code"]]
    fig = go.Figure(go.Bar(
        x=rows["score"].astype(float), y=rows["name"], orientation="h", marker_color=colors,
        text=[f"{v:.1f}" for v in rows["score"].astype(float)], textposition="outside", cliponaxis=False,
        customdata=rows["rank"], hovertemplate="%{y}<br>第 %{customdata} 名，%{x:.2f} 分<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 110], tickvals=list(range(0, 101, 20)))
    return _layout(fig, title, "区县赛马得分（分）", "区县", showlegend=False, height=26 * len(rows) + 140)


def score_race(scores: pd.DataFrame, peer_group: str, qualifying: float) -> go.Figure:
    """The composite race of one peer group month by month (R12): each month's
    year-to-date score (分) at the institution's rank, a frame per month, animated like
    the volume race (`scoring.race.monthly_scores`: month, inst_id, name, peer_group,
    score, rank). An institution not scored that month (too few loans yet, or vetoed) has
    no bar; a month with nobody scored is an empty frame, so both groups share the slider.
    `qualifying` is the method's qualifying line (R13), drawn as a dotted line."""
    group = scores[scores["peer_group"] == peer_group]
    rows = group[group["rank"].notna()]
    months = sorted(group["month"].unique())
    labels = [fmt.month_label(m) for m in months]
    frames = [go.Frame(data=[_score_bars(rows[rows["month"] == month])], name=label)
              for month, label in zip(months, labels, strict=True)]
    fig = go.Figure(data=frames[-1].data if frames else [], frames=frames)
    fig.update_xaxes(range=[0, 100], dtick=10)  # a score runs 0–100
    _race_layout(fig, f"{fmt.PEER_GROUPS[peer_group]}：综合得分赛马", "年初至当月末综合得分（分）",
                 "名次（按综合得分）", int(rows["rank"].max()) if len(rows) else 1, labels, "月份：")
    fig.add_vline(x=qualifying, line={"color": HIGHLIGHT, "dash": "dot", "width": 1.5}, layer="below",
                  annotation_text=f"合格线 {qualifying:g} 分", annotation_position="bottom right",
                  annotation_font_color=HIGHLIGHT)  # behind the bars; its note at the foot, where bars are short
    return fig


def _score_bars(rows: pd.DataFrame) -> go.Bar:
    scores = rows["score"].astype(float)
    return go.Bar(
        x=scores, y=rows["rank"].astype(int), ids=rows["inst_id"],
        text=[f"{name} {score:.1f}" for name, score in zip(rows["name"], scores, strict=True)], customdata=rows["name"],
        orientation="h", marker_color=[institution_color(i) for i in rows["inst_id"]], textfont_size=11,
        textposition="auto", insidetextanchor="start", cliponaxis=False,
        insidetextfont={"color": [palette.text_on(institution_color(i)) for i in rows["inst_id"]]},
        outsidetextfont={"color": LINE},
        hovertemplate="%{customdata}<br>%{x:.2f} 分<extra></extra>",
    )


def pool_progress(counts: pd.DataFrame, title: str) -> go.Figure:
    """Projects entering the reserve pool per month (个), split into those that got a
    技改专项贷 and those still waiting (R16 D3, D4): `counts` is `districts.pool_by_month`."""
    fig = go.Figure([
        go.Bar(x=counts["month"], y=counts["financed"], name="已获贷", marker_color=palette.NEUTRAL,
               hovertemplate="%{x}<br>已获贷 %{y} 个<extra></extra>"),
        go.Bar(x=counts["month"], y=counts["waiting"], name="未获贷", marker_color=MUTED,
               hovertemplate="%{x}<br>未获贷 %{y} 个<extra></extra>"),
    ])
    _monthly_axis(fig)
    return _layout(fig, title, "入库月份", "项目数（个）", barmode="stack", legend=TOP_LEGEND)


GRADE_COLORS = palette.GRADES


def grade_distribution(table: pd.DataFrame, order: list[str], title: str) -> go.Figure:
    """How many institutions of each peer group got each grade (R15); vetoed and unscored as 未评分."""
    grades = table["grade"].astype(object).where(table["grade"].notna(), "未评分")
    counts = pd.crosstab(table["peer_group"].map(fmt.PEER_GROUPS), grades).reindex(columns=[*order, "未评分"],
                                                                                  fill_value=0)
    fig = go.Figure([go.Bar(x=counts.index, y=counts[g], name=g, marker_color=GRADE_COLORS.get(g, LINE),
                            text=counts[g].where(counts[g] > 0, ""), textposition="inside", textangle=0,
                            hovertemplate=f"%{{x}}<br>{g}：%{{y}} 家<extra></extra>") for g in counts.columns])
    fig.update_layout(uniformtext={"minsize": 11, "mode": "hide"})  # no clipped digits on thin segments
    return _layout(fig, title, "机构类别", "机构数（家）", barmode="stack", legend=TOP_LEGEND | {"traceorder": "normal"},
                   height=360)


# the two zones in the urban core sit 0.3° apart: their names go to opposite sides
ZONE_LABELS = {"500191": "top right", "500192": "bottom right", "500193": "bottom center"}


def district_map(units: pd.DataFrame, label: str, title: str, focus: str | None = None,
                 selected: str | None = None) -> go.Figure:
    """The district race on a map (R16): the 38 districts and counties as a choropleth of
    `units["value"]` (in the unit `label` names), the three functional zones as diamonds
    coloured on the same scale, `focus` (the user's own unit) outlined in red and `selected`
    (the unit the detail panels show) in black. Hover: name, rank, score and the value
    (`units["text"]`). `units`: district_code, name, rank, score, value, text — one row per unit.
    Each point carries its district code as customdata[0], which a click hands back."""
    polygons = geo.codes_with_polygons()
    shapes = units[units["district_code"].isin(polygons)]
    points = geo.zones().merge(units.drop(columns="name"), on="district_code")
    hover = ("%{customdata[1]}<br>区县赛马第 %{customdata[2]} 名（%{customdata[3]:.2f} 分）<br>"
             + label + "：%{customdata[4]}<extra></extra>")

    def data(rows: pd.DataFrame) -> list:
        return rows[["district_code", "name", "rank", "score", "text"]].to_numpy().tolist()

    fig = go.Figure(go.Choropleth(
        geojson=geo.GEOJSON_URL, featureidkey="properties.adcode", locations=shapes["district_code"],
        z=shapes["value"].astype(float), coloraxis="coloraxis", customdata=data(shapes), hovertemplate=hover,
        marker={"line": {"color": "#FFFFFF", "width": 0.7}}, name="区县",
    ))
    for code, colour, width in ((selected, LINE, 2.5), (focus, HIGHLIGHT, 3.5)):
        if code in polygons:  # an outline drawn over the fill; hover and clicks fall through to the unit below
            fig.add_trace(go.Choropleth(
                geojson=geo.outline(code), featureidkey="properties.adcode", locations=[code], z=[0],
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False, hoverinfo="skip",
                marker={"line": {"color": colour, "width": width}}, name="outline",
            ))
    fig.add_trace(go.Scattergeo(
        lon=points["lon"], lat=points["lat"], mode="markers+text", text=points["name"],
        textposition=[ZONE_LABELS.get(c, "top center") for c in points["district_code"]],
        textfont={"size": 11, "color": LINE}, customdata=data(points), hovertemplate=hover, name="功能区",
        marker={"symbol": "diamond", "size": 12, "color": points["value"].astype(float), "coloraxis": "coloraxis",
                "line": {"color": [HIGHLIGHT if c == focus else LINE if c == selected else "#FFFFFF"
                                   for c in points["district_code"]],
                         "width": [3 if c in (focus, selected) else 1 for c in points["district_code"]]}},
    ))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator", bgcolor="rgba(0,0,0,0)")
    return _layout(fig, title, "", "", showlegend=False, height=470, margin={"l": 0, "r": 0, "t": 50, "b": 0},
                   coloraxis={"colorscale": palette.SEQUENTIAL,
                              "colorbar": {"title": {"text": label, "side": "right"}, "thickness": 12, "len": 0.7,
                                           "exponentformat": "none", "separatethousands": True}},
                   clickmode="event+select", dragmode=False)


def rank_by_month(ranks: pd.DataFrame, title: str, units: int) -> go.Figure:
    """A unit's place in the district race (R16) at each month end, one line per year (this year
    highlighted, last year dashed grey) on months 1–12; place 1 at the top of 1…`units`.
    `ranks`: year, month (first day), score, rank."""
    fig = go.Figure()
    years = sorted(ranks["year"].unique())
    for year in years:
        rows = ranks[ranks["year"] == year].sort_values("month")
        latest = year == years[-1]
        months = pd.to_datetime(rows["month"]).dt.month
        fig.add_trace(go.Scatter(
            x=months, y=rows["rank"], name=f"{year} 年", mode="lines+markers+text" if latest else "lines+markers",
            text=[f"{r}" for r in rows["rank"]] if latest else None,
            # above each point, but below it at first place: above would fall outside the axis and be clipped
            textposition=["bottom center" if r == 1 else "top center" for r in rows["rank"]],
            customdata=rows["score"].astype(float),
            line={"color": HIGHLIGHT if latest else MUTED, "width": 3 if latest else 2, "dash": None if latest else "dash"},
            hovertemplate=f"{year} 年" + "%{x} 月末：第 %{y} 名（%{customdata:.2f} 分）<extra></extra>",
        ))
    fig.update_xaxes(range=[0.5, 12.5], tickvals=list(range(1, 13)), ticktext=[f"{m}月" for m in range(1, 13)])
    # every fifth place and the last, but no multiple of five that would print on top of the last (40 and 41)
    fig.update_yaxes(range=[units + 0.5, 0.5], tickvals=sorted({1, *range(5, units - 2, 5), units}))
    return _layout(fig, title, "月份（年初至当月末）", f"名次（共 {units} 个单位，1 为最好）", legend=TOP_LEGEND,
                   height=360)


def score_by_month(mine: pd.DataFrame, lines: pd.DataFrame, grades: list[tuple[str, float]], title: str) -> go.Figure:
    """An institution's year-to-date composite at each month end (R12, `mine`: month, score, rank)
    against the month's estimated selection line (`lines`: month, line; R13) and the grade lines
    (R15, label and bound), on 0–100 with the values on the points."""
    months = pd.to_datetime(mine["month"])
    fig = go.Figure([
        go.Scatter(x=months, y=mine["score"].astype(float), name="本机构综合得分", mode="lines+markers+text",
                   text=[f"{s:.1f}" for s in mine["score"].astype(float)], textposition="top center",
                   line={"color": HIGHLIGHT, "width": 3}, customdata=mine["rank"],
                   hovertemplate="%{x}<br>%{y:.2f} 分，组内第 %{customdata} 名<extra></extra>"),
        go.Scatter(x=pd.to_datetime(lines["month"]), y=lines["line"], name="入选线（估算）", mode="lines",
                   line={"color": LINE, "dash": "dash"}, hovertemplate="%{x}<br>入选线 %{y:.2f} 分<extra></extra>"),
    ])
    for label, bound in grades:
        fig.add_hline(y=bound, line={"color": MUTED, "width": 1}, layer="below", annotation_text=f"{label} {bound:g}",
                      annotation_position="right", annotation_font_color="#6B7280")
    _monthly_axis(fig)
    fig.update_yaxes(range=[0, 100], dtick=10)
    return _layout(fig, title, "月份（年初至当月末）", "综合得分（分）", legend=TOP_LEGEND, height=380,
                   margin={"l": 10, "r": 60, "t": 90, "b": 10})
