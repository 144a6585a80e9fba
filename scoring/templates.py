"""The import templates under `data/templates/`, generated from the contract (DATA.md).

One CSV per table (UTF-8 with BOM, so Excel on a Chinese desktop opens it readably)
and `templates.xlsx` with a sheet per table. Both hold two rows: the column names, and
the Chinese description of each column, whose first cell starts with `#` so that the
importer skips the row. In the workbook every column is formatted as text (long codes
and ISO dates stay as typed), columns with a fixed set of values get a drop-down list,
and each column name carries a comment with its full description.

Regenerate with `python -m scoring.templates`; `tests/test_templates.py` checks the
committed files equal what this module makes.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import xlsxwriter

from scoring import contract, db
from scoring.importer import LABEL_MARK

TEMPLATES = db.ROOT / "data" / "templates"
WORKBOOK = "templates.xlsx"
FILLABLE_ROWS = 10_000  # rows of the workbook that carry drop-down lists
CREATED = datetime(2024, 5, 10)  # the notice's date: a fixed timestamp keeps the workbook byte-stable

KIND_HINTS = {
    "date": "格式 YYYY-MM-DD",
    "bool": "填 是/否 或 true/false",
    "int": "四位年份",
    "credit_code": "18位，校验位须正确",
}


def describe(column: contract.Column) -> str:
    """The Chinese description of a column: its label, whether it is required, its format."""
    notes = (["必填"] if column.required else []) + ([KIND_HINTS[column.kind]] if column.kind in KIND_HINTS else [])
    if column.default is not None:
        notes.append(f"不填视为 {column.default}")
    return column.label + (f"（{'，'.join(notes)}）" if notes else "")


def header_rows(table: contract.Table) -> tuple[list[str], list[str]]:
    """The two template rows of a table: column names, and descriptions marked as a label row."""
    labels = [describe(c) for c in table.columns]
    labels[0] = LABEL_MARK + labels[0]
    return list(table.names), labels


def csv_bytes(table: contract.Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(header_rows(table))
    return out.getvalue().encode("utf-8-sig")


def write_workbook(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"title": "技改专项贷报送模板", "created": CREATED})
    text = book.add_format({"num_format": "@"})
    name_style = book.add_format({"bold": True, "bg_color": "#DDEBF7", "num_format": "@"})
    required_style = book.add_format({"bold": True, "bg_color": "#DDEBF7", "font_color": "#C00000", "num_format": "@"})
    label_style = book.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "num_format": "@"})
    for name in contract.ORDER:
        table = contract.TABLES[name]
        sheet = book.add_worksheet(name)
        names, labels = header_rows(table)
        for i, column in enumerate(table.columns):
            sheet.set_column(i, i, max(14, min(40, len(labels[i]))), text)
            sheet.write_string(0, i, names[i], required_style if column.required else name_style)
            sheet.write_string(1, i, labels[i], label_style)
            sheet.write_comment(0, i, labels[i].removeprefix(LABEL_MARK), {"x_scale": 2, "y_scale": 1.5})
            choices = column.values if column.kind == "text" else ("是", "否") if column.kind == "bool" else ()
            if choices:
                sheet.data_validation(2, i, FILLABLE_ROWS + 1, i, {"validate": "list", "source": list(choices)})
        sheet.set_row(1, 45)
        sheet.freeze_panes(2, 0)
    book.close()
    return path


def generate(directory: Path = TEMPLATES) -> list[Path]:
    """Write every template into `directory`; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in contract.ORDER:
        path = directory / f"{name}.csv"
        path.write_bytes(csv_bytes(contract.TABLES[name]))
        paths.append(path)
    paths.append(write_workbook(directory / WORKBOOK))
    return paths


if __name__ == "__main__":
    for written in generate():
        print(f"已生成 {written.relative_to(db.ROOT)}")
