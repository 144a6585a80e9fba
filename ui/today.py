"""今日提醒 — the daily digest (scoring/digest.py) as the landing panel of each role's first page:
the same lists as the morning files, for the signed-in user's scope, as of the sidebar's day."""

from __future__ import annotations

import streamlit as st

from scoring import digest
from scoring.export import people_frame
from ui import data, show


def panel(ctx, roles: tuple[str, ...], slot=None) -> None:
    """Draw the panel when the user's role is one of `roles` (the page is that role's first page);
    into `slot` (an `st.container()` made at the top) when the page calls this at its end, so that
    the page's own figures show while the digest is computed."""
    if ctx.scope.role not in roles:
        return
    with slot or st.container():
        _draw(ctx)


def _draw(ctx) -> None:
    today = data.load(digest.panel, ctx.as_of, scope=ctx.scope)
    with st.container(border=True):
        st.markdown(f"#### :material/notifications_active: 今日提醒 · {ctx.as_of:%Y-%m-%d}")
        if not today.working_day:
            st.caption("观察日不是工作日（R9）：每日提醒只在工作日发出，下列为按该日计算的情况。")
        st.markdown("\n".join(f"- {line}" for line in today.headline))
        lists = [(title, frame, columns) for title, (frame, columns) in today.sheets.items() if len(frame)]
        if lists:
            tabs = st.tabs([f"{title}（{len(frame)}）" for title, frame, _ in lists])
            for tab, (title, frame, columns) in zip(tabs, lists, strict=True):
                with tab:
                    show.grid(people_frame(frame, columns), key=f"today_{title}",
                              height=min(38 + 35 * len(frame), 300))
        st.caption(f"自上次提醒（{today.since:%Y-%m-%d}）以来；预计等级按年末预测（点估计）。同一内容每个工作日早晨以 Excel 与文本发出"
                   "（python -m scoring digest）。")
