"""The year-end projection on the pages (issue 11 §1, "按目前进度"): one scoped load of
`scoring.forecast.view` per user, and the frame the projected-order figure draws."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring import digest, forecast
from ui import data


def load(ctx) -> forecast.View:
    """The projection of the page's year from its as-of day, the user's rows only (the data layer
    narrows it), with the morning digest's interval (the same draws, so page and file agree)."""
    with st.spinner("正在推算年末结果……"):
        return data.load(forecast.view, ctx.year, ctx.as_of, scope=ctx.scope, method=ctx.method,
                         policy=ctx.policy, draws=digest.DRAWS)


def order(table: pd.DataFrame, label: str = "name") -> pd.DataFrame:
    """The subjects ranked both now and at the projected year end, in the columns of
    `ui.foresight.projected_order` (an institution not ranked so far or at the end is left out)."""
    ranked = table.dropna(subset=["rank_to_date", "projected_rank"])
    return pd.DataFrame({
        "label": ranked[label], "rank": ranked["rank_to_date"].astype(int),
        "projected_rank": ranked["projected_rank"].astype(int), "score": ranked["score_to_date"].astype(float),
        "projected_score": ranked["projected_score"].astype(float),
        "projected_score_low": ranked["projected_score_low"].astype(float),
        "projected_score_high": ranked["projected_score_high"].astype(float),
    }).sort_values("projected_rank").reset_index(drop=True)


def band(table: pd.DataFrame) -> list[str]:
    """The projected score's interval as text, one per row ("84.32–84.61")."""
    return [f"{low:.2f}–{high:.2f}" for low, high in zip(table["projected_score_low"], table["projected_score_high"],
                                                         strict=True)]


def caption(view: forecast.View) -> None:
    """How the projection was made, under every projection view."""
    st.caption(f"“按目前进度”为推算，不是评价结果：{view.pace_text}；投放类指标按进度折算到年末，比率类指标按年初至今的水平，"
               f"用本年度评价办法评分。{view.interval_text + '。' if view.interval_text else ''}")
