"""Figure builders of the foresight pages (budget simulator, projection, data quality): pure
functions from frames to `go.Figure`, in the house style of `ui.figures`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui import fmt
from ui.figures import HIGHLIGHT, LINE, MUTED, TOP_LEGEND, _layout

BASELINE = "#7B8794"
VARIANT = "#1F6FB2"


def budget_compare(frame: pd.DataFrame, label: str, title: str) -> go.Figure:
    """Baseline and variant subsidy (万元) side by side per row of `frame` (column `label`)."""
    fig = go.Figure([
        go.Bar(name="现行规则", y=frame[label], x=fmt.wan_column(frame["baseline"]), orientation="h",
               marker_color=BASELINE, hovertemplate="%{y}：%{x:,.2f} 万元<extra>现行规则</extra>"),
        go.Bar(name="模拟方案", y=frame[label], x=fmt.wan_column(frame["variant"]), orientation="h",
               marker_color=VARIANT, hovertemplate="%{y}：%{x:,.2f} 万元<extra>模拟方案</extra>"),
    ])
    fig.update_yaxes(autorange="reversed", type="category")
    return _layout(fig, title, "补贴金额（万元）", "", barmode="group", legend=TOP_LEGEND,
                   height=max(320, 120 + 28 * len(frame)))


def cost_curve(curve: pd.DataFrame, parameter_name: str, budget_yuan, title: str) -> go.Figure:
    """Total cost (亿元) against the swept parameter's value; the budget as a dashed line."""
    fig = go.Figure(go.Scatter(x=curve["value"].astype(float), y=fmt.yi_column(curve["cost"]), mode="lines+markers",
                               line_color=VARIANT, name="补贴总额",
                               hovertemplate="%{x}：%{y:,.4f} 亿元<extra></extra>"))
    if budget_yuan is not None:
        fig.add_hline(y=fmt.yi(budget_yuan), line_dash="dash", line_color=HIGHLIGHT,
                      annotation_text=f"预算 {fmt.money_text(budget_yuan)}", annotation_position="top left")
    return _layout(fig, title, parameter_name, "当年补贴总额（亿元）", showlegend=False)


def projected_order(frame: pd.DataFrame, title: str, highlight: str | None = None) -> go.Figure:
    """Current (year-to-date) rank beside the projected year-end rank, one line per subject, with the
    projection's interval of scores in the hover. `frame`: label, rank, projected_rank, score,
    projected_score, projected_score_low, projected_score_high."""
    fig = go.Figure()
    for row in frame.itertuples():
        mine = highlight is not None and row.label == highlight
        colour = HIGHLIGHT if mine or highlight is None and row.rank != row.projected_rank else (
            MUTED if highlight else LINE)
        fig.add_trace(go.Scatter(
            x=["目前（年初至今）", "预计年末"], y=[row.rank, row.projected_rank], mode="lines+markers+text",
            text=[row.label, row.label], textposition=["middle left", "middle right"], line_color=colour,
            line_width=3 if mine else 1.5, showlegend=False,
            hovertemplate=(f"{row.label}<br>目前第 {row.rank} 名，{row.score:.2f} 分<br>预计第 {row.projected_rank} 名，"
                           f"{row.projected_score:.2f} 分（{row.projected_score_low:.2f}–{row.projected_score_high:.2f}）"
                           "<extra></extra>")))
    # an explicit range: autorange pads for the text labels and shows places 0 and −1 above the first
    last = int(max(frame["rank"].max(), frame["projected_rank"].max())) if len(frame) else 1
    fig.update_yaxes(range=[last + 0.6, 0.4], dtick=1)
    fig.update_xaxes(range=[-0.6, 1.6])
    return _layout(fig, title, "", "名次", height=max(360, 120 + 24 * len(frame)))


def quality_scores(frame: pd.DataFrame, title: str) -> go.Figure:
    """Each institution's data-quality score (0–100) as bars, lowest first."""
    shown = frame.sort_values("quality_score")
    fig = go.Figure(go.Bar(x=shown["quality_score"], y=shown["label"], orientation="h", marker_color=VARIANT,
                           hovertemplate="%{y}：%{x:.1f} 分<extra></extra>"))
    fig.update_yaxes(type="category")
    return _layout(fig, title, "数据质量得分（0–100 分）", "", height=max(320, 120 + 22 * len(shown)))
