"""Write result tables to CSV or XLSX, chosen by the file's extension — the one writer of every
table file the product produces (CLI outputs, page downloads, the 通报 tables).

Every exported cell is hostile: IDs and texts that banks choose reach the regulator's
spreadsheets. Text that Excel or WPS would run as a formula or DDE command is neutralised as
the OWASP CSV-injection guidance says: a cell starting with `=`, `+`, `-`, `@`, a tab or a
carriage return gets a leading apostrophe in CSV; in XLSX it is stored as a plain string
with Excel's "quote prefix" (what typing `'=...` in Excel stores), never as a formula.
Numbers stay numbers: numeric columns are untouched, and so is text that is a plain number
such as "-12.5" or "-3.2%", which a spreadsheet reads as a value, not a formula.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

MAX_WIDTH = 48  # characters: wider cells wrap rather than push the sheet off the screen

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?%?")


def risky(value) -> bool:
    """True for text a spreadsheet would run: a formula or DDE start, also after leading
    spaces or line breaks (which spreadsheets skip), unless the text is a plain number."""
    if not isinstance(value, str):
        return False
    text = value.lstrip(" \n")
    if not text.startswith(FORMULA_START):
        return False
    return not (any(ch.isdigit() for ch in text) and _PLAIN_NUMBER.fullmatch(text))


def neutralise(value):
    """`value` made inert for a spreadsheet: risky text gets a leading apostrophe (OWASP);
    everything else is returned as it is."""
    return "'" + value if risky(value) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every risky text cell and header neutralised (a copy only when needed)."""
    masks = _risky_cells(frame)
    headers = [neutralise(c) for c in frame.columns]
    if not masks and headers == list(frame.columns):
        return frame
    safe = frame.copy()
    for name, mask in masks.items():
        safe[name] = safe[name].astype(object).mask(mask, safe[name][mask].map(neutralise))
    safe.columns = headers
    return safe


def write_table(frame: pd.DataFrame, path: str | Path, sheet: str = "data") -> Path:
    """One table to `path`: `.xlsx` gives a workbook with one sheet, anything else UTF-8 CSV.

    CSV carries a BOM so that Excel on a Chinese Windows desktop opens it readably.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        write_workbook({sheet: frame}, path)
    else:
        safe_frame(frame).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def write_workbook(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Several tables to one `.xlsx`, a sheet each, with a frozen header row. Text is never
    turned into a formula or a hyperlink; risky text carries Excel's quote prefix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        as_text = writer.book.add_format({"quote_prefix": True})
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes(1, 0)
            for i, column in enumerate(frame.columns):
                sheet.set_column(i, i, _width(column, frame[column]))
                if risky(column):
                    sheet.write_string(0, i, column, as_text)
            for column, mask in _risky_cells(frame).items():
                i = frame.columns.get_loc(column)
                for row in mask.to_numpy().nonzero()[0]:
                    sheet.write_string(int(row) + 1, i, frame[column].iat[row], as_text)
    return path


def _risky_cells(frame: pd.DataFrame) -> dict:
    """Column name → boolean mask of its risky cells, for text columns that have any."""
    masks = {}
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        mask = values.map(risky, na_action="ignore").fillna(False).astype(bool)
        if mask.any():
            masks[name] = mask
    return masks


def _width(header, values: pd.Series) -> int:
    """Column width in Excel characters: Chinese characters count twice, as Excel draws them."""
    sample = [str(header), *map(str, values.head(200))]  # astype(str) keeps NaN in pandas 3
    return min(MAX_WIDTH, 2 + max(_display_width(text) for text in sample))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
