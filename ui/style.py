"""What Streamlit does not let us localise, restyled in Chinese, and every asset served locally.

Streamlit 1.67 has no locale setting: its file uploader says "Upload" and "200MB per file • TOML", a
form's text inputs say "Press Enter to submit form" (the login's password: hidden, the 登录 button is
beside it), and the toolbar over tables and charts has English tooltips (Search, Download as CSV,
Fullscreen). The uploader's texts are replaced by CSS (the element stays Streamlit's); the element toolbar is
hidden — every table users need as a file has its own Excel download through the sanitised
writer (`scoring/export.py`), which the grid's own CSV download would bypass. Plotly's mode bar
speaks Chinese through the `locales` entry of the chart config (`PLOTLY_CONFIG`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ICON = Path(__file__).resolve().parent / "assets" / "icon.png"  # the page icon, served by the app itself

CSS = """
<style>
[data-testid="stElementToolbar"] { display: none; }
[data-testid="stFileUploaderDropzone"] button { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button::after { content: "选择文件"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzone"] button span { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] span { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {
  content: "拖入文件，或点击“选择文件”"; font-size: 0.875rem; color: #6B7280; }
[data-testid="InputInstructions"] { display: none; }
[data-testid="stMetricValue"] { font-size: 1.9rem; }
[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>
"""

MODEBAR = {
    "Download plot as a png": "下载图片（PNG）", "Download plot": "下载图片", "Zoom": "框选放大", "Pan": "平移",
    "Zoom in": "放大", "Zoom out": "缩小", "Autoscale": "自动缩放", "Reset axes": "还原坐标轴",
    "Reset view": "还原视图", "Reset": "还原", "Box Select": "框选", "Lasso Select": "套索选择",
    "Toggle Spike Lines": "显示辅助线", "Show closest data on hover": "悬停显示最近数据",
    "Compare data on hover": "悬停比较数据", "Double-click to zoom back out": "双击还原",
    "Snapshot succeeded": "已保存图片", "Taking snapshot - this may take a few seconds": "正在生成图片……",
}
PLOTLY_CONFIG = {
    "displaylogo": False,
    "locale": "zh-CN",
    "locales": {"zh-CN": {"dictionary": MODEBAR, "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)], "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d", "decimal": ".", "thousands": ",", "grouping": [3], "currency": ["¥", ""],
    }}},
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toggleSpikelines", "hoverClosestCartesian",
                               "hoverCompareCartesian"],
}


def apply() -> None:
    """The page-wide Chinese restyling; call once per run, right after `st.set_page_config`."""
    st.html(CSS)
