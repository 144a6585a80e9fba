"""Small drawing helpers the pages share: tables with Chinese headers and units, charts,
workbooks to download."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from scoring.export import Column, write_people_workbook, write_workbook
from ui import fmt


def table(frame: pd.DataFrame, columns: dict[str, str], *, money: tuple[str, ...] = (),
          percent: tuple[str, ...] = (), key: str | None = None, height: int | str = "auto"):
    """Show `frame`'s `columns` (name → Chinese header, units in the header): yuan columns in
    `money` become 万元 with two decimals, shares in `percent` become %, other fractional
    numbers get two decimals, days show as YYYY-MM-DD, missing text and days show blank."""
    shown = frame[list(columns)].copy()
    config = {}
    for name in shown.columns.difference([*money, *percent]):
        values = shown[name]
        if pd.api.types.is_float_dtype(values):
            config[columns[name]] = st.column_config.NumberColumn(format="%.2f")
        elif pd.api.types.is_datetime64_any_dtype(values):
            if (values.dropna().dt.normalize() == values.dropna()).all():  # a day: ISO text, blank when missing
                shown[name] = values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), "")
        elif not pd.api.types.is_numeric_dtype(values):
            shown[name] = values.astype(object).where(values.notna(), "")  # blank, not "None"
    for name in money:
        shown[name] = fmt.wan_column(shown[name])
        config[columns[name]] = st.column_config.NumberColumn(format="accounting")
    for name in percent:
        shown[name] = pd.to_numeric(shown[name], errors="coerce") * 100
        config[columns[name]] = st.column_config.NumberColumn(format="%.1f%%")
    return st.dataframe(shown.rename(columns=columns), hide_index=True, column_config=config, key=key,
                        height=height)


def chart(builder: Callable[..., go.Figure], *args, key: str | None = None) -> None:
    """Draw `builder(*args)`. A figure is built once per distinct arguments and then shared:
    building a plotly figure costs more than reading its data from the cache, and
    Streamlit only serialises it, never changes it."""
    st.plotly_chart(_figure(f"{builder.__module__}.{builder.__qualname__}", args, _builder=builder), key=key,
                    config={"displaylogo": False, "locale": "zh-CN"})


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(name: str, args: tuple, *, _builder) -> go.Figure:
    return _builder(*args)


def empty(message: str) -> None:
    st.info(message, icon=":material/info:")


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx of `sheets` (scoring.export's format: frozen header row) for a download button."""
    with tempfile.TemporaryDirectory() as folder:
        return write_workbook(sheets, Path(folder) / "book.xlsx").read_bytes()


def people_workbook_bytes(sheets: dict[str, tuple[pd.DataFrame, list[Column]]],
                          notes: dict[str, str] | None = None) -> bytes:
    """An .xlsx for people (Chinese headers, 亿元/% formats, widths; scoring.export) for a download button."""
    with tempfile.TemporaryDirectory() as folder:
        return write_people_workbook(sheets, Path(folder) / "book.xlsx", notes).read_bytes()
