"""A submission's receipt (回执) on a page: what was submitted, the files with their SHA-256, the
periods covered or the full error list, and the receipt to download as XLSX or PDF."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring import receipts
from scoring.access import Scope
from ui import data, show


def history_table(history: pd.DataFrame, key: str, with_institution: bool) -> None:
    columns = {"submission_id": "回执编号", "submitted_at": "报送时间", "result": "结果", "periods": "覆盖期间",
               "rows_total": "行数", "rows_inserted": "新增", "rows_replaced": "替换", "rows_unchanged": "未变",
               "error_count": "问题数", "channel_label": "渠道", "submitter": "报送人"}
    if with_institution:
        columns = {"submission_id": "回执编号", "inst_id": "机构", **{k: v for k, v in columns.items() if k != "submission_id"}}
    show.table(history.assign(submitted_at=history["submitted_at"].dt.strftime("%Y-%m-%d %H:%M:%S")), columns,
               key=key)


def receipt_panel(submission_ids: list[str], scope: Scope, key: str) -> None:
    """Pick a submission, see its receipt, download it."""
    if not submission_ids:
        return
    show_receipt(st.selectbox("查看回执", submission_ids, key=f"{key}_pick"), scope, key)


def show_receipt(submission_id: str, scope: Scope, key: str) -> None:
    with data.cursor() as cur:
        receipt = receipts.receipt(cur, submission_id, scope)
    if receipt is None:  # not in the user's scope: as if it did not exist
        show.empty("没有这份回执。")
        return
    head = receipt.head
    if receipt.accepted:
        st.success(f"回执 {receipt.submission_id}：已接受，{int(head['rows_total']):,} 行（新增 {int(head['rows_inserted']):,}，"
                   f"替换 {int(head['rows_replaced']):,}，未变 {int(head['rows_unchanged']):,}）。", icon=":material/verified:")
    else:
        st.error(f"回执 {receipt.submission_id}：被拒绝，{int(head['error_count']):,} 处问题，所有文件均未写入。",
                 icon=":material/error:")
    show.table(receipt.files, {"file_name": "文件", "table_name": "表", "sha256": "SHA-256", "rows_total": "行数",
                               "rows_inserted": "新增", "rows_replaced": "替换", "rows_unchanged": "未变"},
               key=f"{key}_files")
    if not receipt.errors.empty:
        show.table(receipt.errors, {"file_name": "文件", "row_no": "行", "column_name": "列", "cell_value": "值",
                                    "message": "问题"}, key=f"{key}_errors", height=240)
    left, right = st.columns(2)
    left.download_button("下载回执（Excel）", lambda: receipts.receipt_xlsx(receipt),
                         file_name=f"回执_{receipt.submission_id}.xlsx", icon=":material/download:", key=f"{key}_xlsx")
    right.download_button("下载回执（PDF）", lambda: receipts.receipt_pdf(receipt),
                          file_name=f"回执_{receipt.submission_id}.pdf", icon=":material/picture_as_pdf:",
                          key=f"{key}_pdf")
