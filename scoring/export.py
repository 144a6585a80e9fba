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
from dataclasses import dataclass
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


# -- workbooks for people: Chinese headers, units in the header, number formats ------------------

@dataclass(frozen=True)
class Column:
    """One column of a workbook for people: where its values come from, its Chinese header
    (with the unit), and how it reads (`kind` in CELL_FORMATS)."""

    source: str
    header: str
    kind: str = "text"


# kind → (conversion of the stored value, Excel number format)
CELL_FORMATS: dict[str, tuple[str, str | None]] = {
    "text": ("text", None),
    "yi": ("yuan/1e8", "#,##0.00"),  # yuan → 亿元
    "wan": ("yuan/1e4", "#,##0.00"),  # yuan → 万元
    "percent": ("fraction", "0.0%"),
    "score": ("number", "0.00"),
    "number": ("number", "#,##0.0"),
    "int": ("number", "#,##0"),
    "yes_no": ("是/否", None),
}
_SCALE = {"yi": 1e8, "wan": 1e4}


def people_frame(frame: pd.DataFrame, columns: list[Column]) -> pd.DataFrame:
    """`frame`'s columns as a person reads them: Chinese headers, 亿元/万元, 是/否, blanks for missing."""
    out = {}
    for column in columns:
        values = frame[column.source] if column.source in frame.columns else pd.Series(pd.NA, index=frame.index)
        if column.kind in _SCALE:
            values = pd.to_numeric(values.astype("float64"), errors="coerce") / _SCALE[column.kind]
        elif column.kind == "yes_no":
            values = values.map({True: "是", False: "否"}).astype(object).where(values.notna(), "")
        elif column.kind == "text":
            values = values.astype(object).where(values.notna(), "")
        else:
            values = pd.to_numeric(values, errors="coerce").astype("float64")
        out[column.header] = values.to_numpy()
    return pd.DataFrame(out)


def write_people_workbook(sheets: dict[str, tuple[pd.DataFrame, list[Column]]], path: str | Path,
                          notes: dict[str, str] | None = None) -> Path:
    """Sheets for people: a bold wrapped header row (frozen), number formats by column kind,
    widths to the content; `notes` puts one line of 口径 above a sheet's table."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    notes = notes or {}
    options = {"strings_to_formulas": False, "strings_to_urls": False}  # text never becomes a formula or link
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        book = writer.book
        header = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "bg_color": "#DCE6F1",
                                  "border": 1})
        formats = {kind: book.add_format({"num_format": f}) for kind, (_, f) in CELL_FORMATS.items() if f}
        for name, (frame, columns) in sheets.items():
            table = people_frame(frame, columns)
            top = 1 if name in notes else 0
            table.to_excel(writer, sheet_name=name[:31], index=False, startrow=top)
            sheet = writer.sheets[name[:31]]
            if top:
                sheet.write(0, 0, notes[name])
            for i, column in enumerate(columns):
                sheet.write(top, i, column.header, header)
                width = min(MAX_WIDTH, max(_width(column.header, table[column.header]) - 2, 8) + 2)
                sheet.set_column(i, i, width, formats.get(column.kind))
            sheet.set_row(top, 32)
            sheet.freeze_panes(top + 1, 0)
    return path
