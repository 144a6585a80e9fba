"""Result files: CSV with a BOM for Excel, XLSX with readable column widths."""

from __future__ import annotations

import openpyxl
import pandas as pd

from scoring.export import MAX_WIDTH, write_table


def test_csv_has_a_bom_and_round_trips(tmp_path):
    frame = pd.DataFrame({"inst_id": ["B01"], "name": ["重庆银行，股份"]})
    path = write_table(frame, tmp_path / "x.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(path, encoding="utf-8-sig").equals(frame)


def test_xlsx_columns_are_wide_enough_for_chinese_names(tmp_path):
    frame = pd.DataFrame({"id": ["B01"], "name": ["中国工商银行重庆市分行"], "note": ["长" * 100]})
    path = write_table(frame, tmp_path / "x.xlsx", sheet="机构")
    sheet = openpyxl.load_workbook(path)["机构"]
    assert sheet["B2"].value == "中国工商银行重庆市分行"
    # 11 Chinese characters are 22 Excel characters wide, plus a margin of 2
    assert sheet.column_dimensions["B"].width >= 24
    assert sheet.column_dimensions["C"].width <= MAX_WIDTH + 1
    assert sheet.freeze_panes == "A2"
