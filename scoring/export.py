"""Write result tables to CSV or XLSX, chosen by the file's extension."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

MAX_WIDTH = 48  # characters: wider cells wrap rather than push the sheet off the screen


def write_table(frame: pd.DataFrame, path: str | Path, sheet: str = "data") -> Path:
    """One table to `path`: `.xlsx` gives a workbook with one sheet, anything else UTF-8 CSV.

    CSV carries a BOM so that Excel on a Chinese Windows desktop opens it readably.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        write_workbook({sheet: frame}, path)
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def write_workbook(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Several tables to one `.xlsx`, a sheet each, with a frozen header row."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes(1, 0)
            for i, column in enumerate(frame.columns):
                sheet.set_column(i, i, _width(column, frame[column]))
    return path


def _width(header, values: pd.Series) -> int:
    """Column width in Excel characters: Chinese characters count twice, as Excel draws them."""
    sample = [str(header), *map(str, values.head(200))]  # astype(str) keeps NaN in pandas 3
    return min(MAX_WIDTH, 2 + max(_display_width(text) for text in sample))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
