"""Figure builders of the evaluation workflow (issue 15): pure functions from frames to `go.Figure`,
with titles, axis titles and the CJK font of `ui.figures`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.figures import FONT, HIGHLIGHT, LINE, MUTED, TOP_LEGEND


def self_against_final(frame: pd.DataFrame) -> go.Figure:
    """Per institution and qualitative indicator, the self-score beside the regulator's final score
    (a dumbbell: grey dot self, red dot final, the line between them the gap)."""
    frame = frame.sort_values(["indicator", "final_score"])
    labels = frame["indicator"] + " · " + frame["name"]
    fig = go.Figure()
    for label, own, final in zip(labels, frame["self_score"], frame["final_score"], strict=True):
        fig.add_trace(go.Scatter(x=[float(own), float(final)], y=[label, label], mode="lines",
                                 line={"color": MUTED, "width": 3}, showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=frame["self_score"].astype(float), y=labels, mode="markers", name="自评分",
                             marker={"color": LINE, "size": 9, "symbol": "circle-open"},
                             hovertemplate="%{y}<br>自评 %{x:.1f} 分<extra></extra>"))
    fig.add_trace(go.Scatter(x=frame["final_score"].astype(float), y=labels, mode="markers", name="评审得分",
                             marker={"color": HIGHLIGHT, "size": 10},
                             hovertemplate="%{y}<br>评审 %{x:.1f} 分<extra></extra>"))
    fig.update_layout(title={"text": "定性指标：自评与评审得分对照", "x": 0, "xanchor": "left"},
                      xaxis_title="得分（0–100 分）", yaxis_title="", font_family=FONT, legend=TOP_LEGEND,
                      height=max(320, 26 * len(frame) + 140), margin={"l": 10, "r": 10, "t": 90, "b": 10})
    fig.update_xaxes(range=[0, 100])
    return fig
