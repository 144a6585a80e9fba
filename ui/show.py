"""Small drawing helpers the pages share: tables with Chinese headers and units, charts,
workbooks to download."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from scoring.engine import to_pandas
from scoring.export import XLSX_MAX_ROWS, Column, safe_frame, write_people_workbook, write_workbook
from ui import fmt, style


ROW_PX = 35  # st.dataframe's row height
ALL_ROWS = 45  # a table this short shows every row (the 41 districts, a 25-bank ranking), no scroll box
SCROLL_ROWS = 15  # a longer one scrolls inside this many rows
MAX_SHOWN = 2_000  # rows sent to the browser; longer lists are read in their Excel download
# A coloured row goes through pandas' Styler on every rerun (~0.1 ms a cell): coloured lists,
# sorted with the latest first, show fewer rows so that a bank's page stays fast at a million loans.
MAX_COLOURED = 500


def table_height(rows: int) -> int:
    """Pixels for a table of `rows` rows: all of them up to ALL_ROWS, else SCROLL_ROWS and a scrollbar."""
    return (max(rows, 1) if rows <= ALL_ROWS else SCROLL_ROWS) * ROW_PX + ROW_PX + 3


Shape = Callable[[pd.DataFrame], pd.DataFrame]


def rows_of(rows: pd.DataFrame | pa.Table, limit: int | None = None, shape: Shape | None = None) -> pd.DataFrame:
    """The first `limit` rows (all without one) of a table as a DataFrame, through `shape` (codes
    turned into words, say). A long list comes as Arrow, so that only the rows drawn become Python
    objects; the whole of it, when its download is asked for. Days come as datetime64, as the pages
    give `table` their days."""
    if isinstance(rows, pa.Table):
        days = [field.name for field in rows.schema if pa.types.is_date(field.type)]
        rows = to_pandas(rows if limit is None else rows.slice(0, limit))
        rows[days] = rows[days].apply(pd.to_datetime)
    elif limit is not None:
        rows = rows.head(limit)
    return shape(rows) if shape else rows


def table(frame: pd.DataFrame | pa.Table, columns: dict[str, str], *, money: tuple[str, ...] = (),
          percent: tuple[str, ...] = (), key: str | None = None, height: int | str | None = None,
          highlight: pd.Series | None = None, export: str | None = None, on_select: str = "ignore",
          widths: dict[str, int | str] | None = None, helps: dict[str, str] | None = None,
          shape: Shape | None = None):
    """Show `frame`'s `columns` (name → Chinese header, units in the header): yuan columns in
    `money` become 万元 with two decimals, shares in `percent` become %, other fractional
    numbers get two decimals, days show as YYYY-MM-DD, missing text and days show blank.
    Short tables show all their rows (`table_height`); `highlight` (a CSS background colour
    per row, "" for none, aligned with `frame`) colours whole rows. `on_select="rerun"` lets a
    click select one row (returned as the selection). `export` (a file name without
    extension) adds an Excel download of the same rows and columns, in the same units, through
    the sanitised writer of scoring/export.py. `widths` (column → pixels or "small"/"medium"/"large")
    and `helps` (column → tooltip of its header) keep a wide table within the page. `frame` may be
    Arrow (`rows_of`), with `shape` applied to the rows drawn and to those downloaded."""
    if export is not None:
        download(frame, columns, export, money=money, percent=percent, key=key, shape=shape)
    shown_rows = MAX_SHOWN if highlight is None else MAX_COLOURED
    total = len(frame)
    if total > shown_rows:  # a page never serialises a million rows on every rerun
        st.caption(f"共 {total:,} 行，此处显示前 {shown_rows:,} 行" + ("，完整清单请下载 Excel。" if export else "。"))
    frame = rows_of(frame, shown_rows, shape)
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
    for name in {**(widths or {}), **(helps or {})}:
        column = config.get(columns[name]) or st.column_config.Column()
        config[columns[name]] = {**column, "width": (widths or {}).get(name, column.get("width")),
                                 "help": (helps or {}).get(name, column.get("help"))}
    shown = safe_frame(shown.rename(columns=columns))  # the grid's own download and copy: see `grid`
    if highlight is not None:  # one frame of CSS for the whole table: a Python call per row took 0.5 s at 2,000 rows
        colours = highlight.reindex(frame.index).fillna("")
        css = ("background-color: " + colours).where(colours != "", "")
        styles = pd.DataFrame({column: css for column in shown.columns}, index=shown.index)
        shown = shown.style.apply(lambda _: styles, axis=None)
    return st.dataframe(shown, hide_index=True, column_config=config, key=key, on_select=on_select,
                        selection_mode="single-row", height=table_height(len(frame)) if height is None else height)


def grid(frame: pd.DataFrame, style: Callable | None = None, **options):
    """A data grid of a frame as it is. Streamlit's grid lets a user download it as CSV and copy
    cells into a spreadsheet, so every grid of the app (this one and `table`'s) shows the frame
    made safe with the exports' own rule (`scoring.export.safe_frame`: text a spreadsheet would
    run gets a leading apostrophe). `style` turns the safe frame's Styler into the one shown
    (cell colours)."""
    safe = safe_frame(frame)
    return st.dataframe(style(safe.style) if style else safe, hide_index=True, **options)


def chart(builder: Callable[..., go.Figure], *args, key: str | None = None, config: dict | None = None,
          on_select: str = "ignore"):
    """Draw `builder(*args)`. A figure is built once per distinct arguments and then shared:
    building a plotly figure costs more than reading its data from the cache, and
    Streamlit only serialises it, never changes it. `on_select="rerun"` returns the chart's
    selection (a click on a point selects it)."""
    return st.plotly_chart(_figure(f"{builder.__module__}.{builder.__qualname__}", args, _builder=builder), key=key,
                           config=config or style.PLOTLY_CONFIG, on_select=on_select,
                           selection_mode="points")


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


def export_columns(frame: pd.DataFrame, columns: dict[str, str], money: tuple[str, ...] = (),
                   percent: tuple[str, ...] = ()) -> list[Column]:
    """The workbook columns of a table drawn by `table`: 万元 for `money`, % for `percent`, whole
    and fractional numbers as numbers, everything else as text."""
    def kind(name: str) -> str:
        if name in money:
            return "wan"
        if name in percent:
            return "percent"
        values = frame[name]
        if pd.api.types.is_bool_dtype(values):
            return "yes_no"
        if pd.api.types.is_integer_dtype(values):
            return "int"
        if pd.api.types.is_float_dtype(values):
            return "score"
        return "text"
    return [Column(name, header, kind(name)) for name, header in columns.items()]


def download(frame: pd.DataFrame | pa.Table, columns: dict[str, str], name: str, *, money: tuple[str, ...] = (),
             percent: tuple[str, ...] = (), note: str | None = None, key: str | None = None,
             shape: Shape | None = None) -> None:
    """An Excel download of `frame`'s `columns` (a DataFrame or Arrow, through `shape`: `rows_of`),
    Chinese headers and units as on the page; the workbook is built only when the button is clicked.
    A list longer than a sheet gets a note instead of a button that would fail."""
    if len(frame) > XLSX_MAX_ROWS - 1:
        st.caption(f"“{name}”共 {len(frame):,} 行，超过 Excel 单个工作表的上限 {XLSX_MAX_ROWS - 1:,} 行，"
                   "不提供下载；请先筛选。")
        return
    title = name[:31]

    def workbook() -> bytes:
        rows = rows_of(frame, None, shape)
        sheet = export_columns(rows, columns, money, percent)  # from the rows written, not on every rerun
        rows = rows[list(columns)].copy()
        for column in rows.columns:  # days as ISO text, as the page shows them
            if pd.api.types.is_datetime64_any_dtype(rows[column]) or rows[column].map(
                    lambda v: hasattr(v, "strftime")).any():
                rows[column] = rows[column].map(lambda v: v.strftime("%Y-%m-%d") if hasattr(v, "strftime")
                                                and pd.notna(v) else "")
        return people_workbook_bytes({title: (rows, sheet)}, {title: note} if note else None)

    st.download_button(f"下载“{name}”（Excel）", workbook, file_name=f"{name}.xlsx", icon=":material/download:",
                       key=f"download_{key or name}")


LATENESS = ((10, "#F4C7C3"), (5, "#FBE3D6"), (1, "#FEF3E2"))  # working days late → row colour, darker = later


def lateness_colours(days_late: pd.Series) -> pd.Series:
    """A row background per lateness: 10+ working days late darkest, 5–9, 1–4 lightest."""
    days = pd.to_numeric(days_late, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    chosen = np.select([days >= bound for bound, _ in LATENESS], [colour for _, colour in LATENESS], "")
    return pd.Series(chosen, index=days_late.index, dtype=object)


def drill(column, frame: pd.DataFrame, columns: dict[str, str], key: str, **options) -> None:
    """Under a KPI card in `column`: a button that opens the rows behind its figure."""
    with column.popover(f"查看这 {len(frame):,} 项", icon=":material/table_rows:", width="stretch",
                        disabled=frame.empty):
        table(frame, columns, key=f"drill_{key}", **options)
