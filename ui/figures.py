"""Plotly figure builders: pure functions from frames to `go.Figure`, testable without
Streamlit. Every chart has a title and axis titles with units (亿元, 万元, %, 工作日),
and an institution has the same colour on every page (`institution_color`).
"""

from __future__ import annotations

import re
import zlib

import pandas as pd
import plotly.express as px  # only for its colour sequences
import plotly.graph_objects as go

from ui import fmt

PALETTE = px.colors.qualitative.Dark24 + px.colors.qualitative.Light24
# Banks B01… and leasing companies L01… start at different places of the palette, so the
# two peer groups never share a colour even when drawn together.
PREFIX_OFFSET = {"B": 0, "L": 32}
HIGHLIGHT = "#B22222"  # the user's own institution or district
MUTED = "#C8CDD2"  # everyone else, when one is highlighted
LINE = "#1F2933"  # reference lines (selection line, median)
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def institution_color(inst_id: str) -> str:
    """The colour of an institution on every page: a function of its id alone."""
    match = re.fullmatch(r"([A-Z])(\d+)", str(inst_id))
    if match and match.group(1) in PREFIX_OFFSET:
        return PALETTE[(PREFIX_OFFSET[match.group(1)] + int(match.group(2)) - 1) % len(PALETTE)]
    return PALETTE[zlib.crc32(str(inst_id).encode()) % len(PALETTE)]


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
    return fig


TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom"}  # under the title


def _monthly_axis(fig: go.Figure) -> None:
    """A date axis labelled 2025年3月, one tick a month or fewer as space allows."""
    fig.update_xaxes(type="date", tickformat="%Y年%-m月", hoverformat="%Y年%-m月")


def monthly_amount(monthly: pd.DataFrame, title: str = "月度投放金额") -> go.Figure:
    """Bars of each month's amount and a line of the running total, both in 亿元."""
    months = pd.to_datetime(monthly["month"])
    fig = go.Figure([
        go.Bar(x=months, y=fmt.yi_column(monthly["amount"]), name="当月投放", marker_color="#4C78A8",
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


RACE_ROOM = 1.9  # the axis runs this far past the longest bar, leaving room for the names


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
    return go.Bar(
        x=fmt.yi_column(rows["cumulative_amount"]), y=rows["race_position"], ids=rows["inst_id"], text=rows["name"],
        orientation="h", marker_color=[institution_color(i) for i in rows["inst_id"]], textfont_size=11,
        textposition="outside", cliponaxis=False, hovertemplate="%{text}<br>累计 %{x:,.2f} 亿元<extra></extra>",
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


def compliance_trend(compliance: pd.DataFrame, title: str, interview_below: float,
                     peer_median: pd.DataFrame | None = None) -> go.Figure:
    """"3个1" compliance (R10) month by month, a line per stage when the frame has stages.

    `compliance` has month ("YYYY-MM"), optionally stage, and compliance_rate (0–1);
    `interview_below` is the method's 约谈 line (R15, 0–1); `peer_median` (month,
    median_rate) adds the peer group's median as a dashed line.
    """
    fig = go.Figure()
    groups = ([(stage, compliance[compliance["stage"] == stage]) for stage in fmt.STAGES]
              if "stage" in compliance else [(None, compliance)])
    for stage, rows in groups:
        if rows.empty:
            continue
        name = fmt.STAGES[stage] if stage else "三个环节合计"
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(rows["month"]), y=rows["compliance_rate"].astype(float) * 100, name=name,
            mode="lines+markers", hovertemplate="%{x}<br>" + name + " %{y:.1f}%<extra></extra>",
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


def compliance_by_institution(frame: pd.DataFrame, title: str, interview_below: float) -> go.Figure:
    """One bar per institution (name, inst_id, compliance_rate 0–1), in its own colour,
    with the method's interview line of R15 (`interview_below`, 0–1)."""
    rows = frame.sort_values("compliance_rate", ascending=True, na_position="first")
    fig = go.Figure(go.Bar(
        x=rows["compliance_rate"].astype(float) * 100, y=rows["name"], orientation="h",
        marker_color=[institution_color(i) for i in rows["inst_id"]],
        hovertemplate="%{y}<br>按时办结率 %{x:.1f}%<extra></extra>",
    ))
    fig.add_vline(x=100 * interview_below, line={"color": HIGHLIGHT, "dash": "dot", "width": 1},
                  annotation_text=f"{fmt.percent(interview_below, 0)} 约谈线", annotation_position="top")
    fig.update_xaxes(range=[0, 105])
    return _layout(fig, title, "按时办结率（%）", "机构", showlegend=False,
                   height=max(320, 24 * len(rows) + 120))


def amount_by_institution(frame: pd.DataFrame, column: str, title: str, axis: str) -> go.Figure:
    """One bar per institution (name, inst_id and a yuan column) in 万元, in its own colour."""
    rows = frame.assign(value=fmt.wan_column(frame[column])).sort_values("value")
    fig = go.Figure(go.Bar(
        x=rows["value"], y=rows["name"], orientation="h",
        marker_color=[institution_color(i) for i in rows["inst_id"]],
        hovertemplate="%{y}<br>%{x:,.2f} 万元<extra></extra>",
    ))
    return _layout(fig, title, axis, "机构", showlegend=False, height=max(320, 24 * len(rows) + 120))


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
    fig.update_xaxes(rangemode="tozero")
    return _layout(fig, title, "名次（1 为最好）", "机构", height=max(320, 26 * len(rows) + 160),
                   legend={"orientation": "h", "x": 0, "y": -0.08, "yanchor": "top"}, barmode="overlay")


def indicator_labels(indicators) -> dict[str, str]:
    """id → label of the method's indicators, in method order (a plain dict the figure cache can hash)."""
    return {ind.id: indicator_label(ind) for ind in indicators}


def contribution_stack(table: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Stacked horizontal bars: each indicator's contribution (分) to each scored institution's
    composite, so a bar's length is the composite (R12). `labels`: indicator id → label."""
    rows = table.dropna(subset=["rank"]).sort_values("rank")
    fig = go.Figure([
        go.Bar(x=rows[f"{i}_contrib"].astype(float), y=rows["name"], orientation="h", name=label,
               hovertemplate="%{y}<br>" + label + " %{x:.2f} 分<extra></extra>")
        for i, label in labels.items()
    ])
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, "对综合得分的贡献（分）", "机构", barmode="stack",
                   height=max(340, 26 * len(rows) + 160), legend={"orientation": "h", "y": -0.12, "yanchor": "top"})


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
        marker_color=[HIGHLIGHT if g < 0 else "#4C78A8" for g in rows["gap"]],
        hovertemplate="%{y}<br>本机构 − 入选机构平均：%{x:+.2f} 分<extra></extra>",
    ))
    fig.add_vline(x=0, line={"color": LINE, "width": 1})
    return _layout(fig, title, "本机构 − 入选机构平均（分，负数为落后）", "评价指标", showlegend=False,
                   height=max(320, 28 * len(rows) + 120))


def district_scores(table: pd.DataFrame, title: str, highlight: str | None = None) -> go.Figure:
    """All units ranked by their R16 score, one bar each; `highlight` (a district code) in red."""
    rows = table.sort_values("rank")
    colors = [HIGHLIGHT if code == highlight else (MUTED if highlight else "#4C78A8")
              for code in rows["district_code"]]
    fig = go.Figure(go.Bar(
        x=rows["score"].astype(float), y=rows["name"], orientation="h", marker_color=colors,
        customdata=rows["rank"], hovertemplate="%{y}<br>第 %{customdata} 名，%{x:.2f} 分<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
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
    fig.update_xaxes(range=[0, 100 * RACE_ROOM])
    _race_layout(fig, f"{fmt.PEER_GROUPS[peer_group]}：综合得分赛马", "年初至当月末综合得分（分）",
                 "名次（按综合得分）", int(rows["rank"].max()) if len(rows) else 1, labels, "月份：")
    fig.add_vline(x=qualifying, line={"color": HIGHLIGHT, "dash": "dot", "width": 1},
                  annotation_text=f"合格线 {qualifying:g} 分", annotation_position="top right",
                  annotation_yanchor="bottom")  # in the top axis row, clear of the bars and their names
    return fig


def _score_bars(rows: pd.DataFrame) -> go.Bar:
    return go.Bar(
        x=rows["score"].astype(float), y=rows["rank"].astype(int), ids=rows["inst_id"], text=rows["name"],
        orientation="h", marker_color=[institution_color(i) for i in rows["inst_id"]], textfont_size=11,
        textposition="outside", cliponaxis=False, hovertemplate="%{text}<br>%{x:.2f} 分<extra></extra>",
    )


def pool_progress(ledger: pd.DataFrame, title: str) -> go.Figure:
    """Projects entering the reserve pool per month (个), split into those that got a
    技改专项贷 and those still waiting (R16 D3, D4)."""
    months = pd.to_datetime(ledger["pooled_on"]).dt.to_period("M").dt.to_timestamp()
    counts = (ledger.assign(month=months).groupby(["month", "financed"]).size()
              .unstack(fill_value=0).reindex(columns=[True, False], fill_value=0).sort_index())
    fig = go.Figure([
        go.Bar(x=counts.index, y=counts[True], name="已获贷", marker_color="#4C78A8",
               hovertemplate="%{x}<br>已获贷 %{y} 个<extra></extra>"),
        go.Bar(x=counts.index, y=counts[False], name="未获贷", marker_color=MUTED,
               hovertemplate="%{x}<br>未获贷 %{y} 个<extra></extra>"),
    ])
    _monthly_axis(fig)
    return _layout(fig, title, "入库月份", "项目数（个）", barmode="stack", legend=TOP_LEGEND)


GRADE_COLORS = {"一级": "#1a9850", "二级": "#91cf60", "三级": "#fee08b", "四级": "#d73027", "未评分": "#bdbdbd"}


def grade_distribution(table: pd.DataFrame, order: list[str], title: str) -> go.Figure:
    """How many institutions of each peer group got each grade (R15); vetoed and unscored as 未评分."""
    grades = table["grade"].astype(object).where(table["grade"].notna(), "未评分")
    counts = pd.crosstab(table["peer_group"].map(fmt.PEER_GROUPS), grades).reindex(columns=[*order, "未评分"],
                                                                                  fill_value=0)
    fig = go.Figure([go.Bar(x=counts.index, y=counts[g], name=g, marker_color=GRADE_COLORS.get(g, LINE),
                            text=counts[g].where(counts[g] > 0, ""), textposition="inside",
                            hovertemplate=f"%{{x}}<br>{g}：%{{y}} 家<extra></extra>") for g in counts.columns])
    fig.update_layout(uniformtext={"minsize": 11, "mode": "hide"})  # no clipped digits on thin segments
    return _layout(fig, title, "机构类别", "机构数（家）", barmode="stack", legend=TOP_LEGEND, height=360)
