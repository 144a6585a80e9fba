"""Write result tables to CSV or XLSX, chosen by the file's extension."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
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
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
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
