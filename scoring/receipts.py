"""Submissions and their receipts (回执, issue 15 §1): the institution's proof of what it reported.

`submit` is the one way data comes in — the import page, `python -m scoring import` and the
HTTP API all call it. It takes the writer lock, runs the validated import
(`scoring.importer.import_files`) and records a submission for every attempt, accepted or
refused:

- a submission id (`SUB-<day>-<number>`), the time, the submitter and the channel;
- each uploaded file with the SHA-256 of its bytes and, per table, rows added, replaced and unchanged;
- for a refusal, the full error list (file, row, column, value, message);
- for an acceptance, the reporting periods (months) its rows fall in, per institution.

An accepted submission is recorded in the import's own transaction (both or neither); a refused
one after the rollback, so the receipt exists although nothing was written. Each submission is
a step of the workflow trail (`scoring.trail`). `receipt` reads one back within the user's scope
(another institution's id finds nothing); `receipt_json`, `receipt_xlsx` and `receipt_pdf` give it
as the API's body and as downloadable files.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from scoring import engine, importer, reporting, trail
from scoring.access import Scope
from scoring.export import write_workbook
from scoring.importing.limits import Limits
from scoring.importing.report import ImportIssue, ImportReport

CHANNELS = {"page": "平台页面上传", "cli": "命令行导入", "api": "接口报送"}
# Which column dates a row of a table for its reporting period, and whose row it is
# (interest payments and guarantees through their loan).
DATED = {"loans": ("inst_id", None, "signed_on"), "applications": ("inst_id", None, "registered_on"),
         "interest_payments": (None, "loan_id", "paid_on"), "guarantees": (None, "loan_id", "paid_on"),
         "products": ("inst_id", None, "launched_on")}


@dataclass(frozen=True)
class Receipt:
    head: dict
    files: pd.DataFrame
    periods: pd.DataFrame
    errors: pd.DataFrame

    @property
    def submission_id(self) -> str:
        return self.head["submission_id"]

    @property
    def accepted(self) -> bool:
        return bool(self.head["accepted"])


def submit(con: duckdb.DuckDBPyConnection, sources: Iterable, user: str, inst_id: str | None = None,
           channel: str = "page", declared: Iterable[str] = (), limits: Limits | None = None,
           on_wait: Callable[[], None] | None = None, clock: Callable[[], datetime] = datetime.now) -> ImportReport:
    """Import `sources` (paths or (name, bytes) pairs) as `user` of `inst_id` through `channel`, and
    record the submission; the report carries its `submission_id`. `declared` periods ('YYYY-MM')
    are recorded for `inst_id` besides those its rows fall in. `clock` dates the submission (tests
    and the API's end-to-end test set the day; the import's own audit rows keep the real time). An import
    that wrote rows then keeps what the pages read first of the new data (`importer.keep_results_of_import`),
    once the writer lock is released."""
    from scoring import writer

    if channel not in CHANNELS:
        raise ValueError(f"未知报送渠道：{channel}")
    declared = sorted({p.strip() for p in declared if p and p.strip()})
    for period in declared:
        reporting.month_start(period)
    if declared and inst_id is None:
        raise ValueError("声明报送期间须以机构身份报送（指定机构）")
    sources = list(sources)
    with writer.exclusive(on_wait):
        cur = con.cursor()
        try:
            number = int(engine.query(cur, "workflow/next_submission", scope=None).iat[0, 0])
            at = clock()
            submission_id = f"SUB-{at:%Y%m%d}-{number:06d}"
            uploaded = [_identify(s) for s in sources]

            def record_accepted(tx, parts, results) -> None:
                _record(tx, submission_id, inst_id, user, channel, at, uploaded, results, [])
                _record_periods(tx, submission_id, parts, inst_id, declared)

            report = importer.import_files(cur, sources, user=user, inst_id=inst_id, limits=limits,
                                           on_commit=record_accepted)
            if not report.ok:
                cur.begin()
                try:
                    _record(cur, submission_id, inst_id, user, channel, at, uploaded, report.files, report.errors)
                except BaseException:
                    cur.rollback()
                    raise
                cur.commit()
        finally:
            cur.close()
    report.submission_id = submission_id
    if report.ok and any(f.inserted or f.replaced for f in report.files):
        # after the writer lock: the next bank's file is not queued behind it (27 s at a million loans)
        importer.keep_results_of_import(con)
    return report


def _identify(source) -> tuple[str, int, str]:
    """An uploaded file's name, size and SHA-256 (streamed from disk for a path)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        digest, size = hashlib.sha256(), 0
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
        except OSError:
            return path.name, 0, "（无法读取）"
        return path.name, size, digest.hexdigest()
    name, data = source
    return str(name), len(data), hashlib.sha256(data).hexdigest()


def _record(cur, submission_id: str, inst_id: str | None, user: str, channel: str, at: datetime,
            uploaded: list[tuple[str, int, str]], results, errors: list[ImportIssue]) -> None:
    """The submission's rows (head, files, errors) and its step in the trail, in the caller's transaction."""
    files = _files(uploaded, results)
    total = lambda column: int(files[column].sum()) if len(files) else 0  # noqa: E731
    engine.execute(cur, "workflow/record_submission", submission_id=submission_id, inst_id=inst_id,
                   submitter=user, channel=channel, submitted_at=at, accepted=not errors,
                   rows_total=total("rows_total"), rows_inserted=total("rows_inserted"),
                   rows_replaced=total("rows_replaced"), rows_unchanged=total("rows_unchanged"),
                   error_count=len(errors))
    with engine.registered(cur, "receipt_files", files.assign(submission_id=submission_id)):
        engine.execute(cur, "workflow/record_submission_files")
    if errors:
        frame = pd.DataFrame({
            "submission_id": submission_id, "position": range(1, len(errors) + 1),
            "file_name": [e.file for e in errors], "row_no": pd.array([e.row for e in errors], dtype="Int64"),
            "column_name": [e.column for e in errors], "cell_value": [e.value for e in errors],
            "message": [e.message for e in errors]})
        with engine.registered(cur, "receipt_errors", frame):
            engine.execute(cur, "workflow/record_submission_errors")
    trail.record(cur, user, "submission", inst_id=inst_id, subject=submission_id, at=at,
                 detail={"accepted": not errors, "channel": channel, "errors": len(errors),
                         "files": [{"name": n, "sha256": h} for n, _, h in uploaded]})


def _files(uploaded: list[tuple[str, int, str]], results) -> pd.DataFrame:
    """One row per table read from each uploaded file (a file that yielded no table: one row without
    a table), with the file's SHA-256 and size."""
    rows = []
    for name, size, sha in uploaded:
        parts = [r for r in results if r.file == name or r.file.startswith(f"{name}[")]
        for r in parts or [None]:
            rows.append({"file_name": name, "table_name": r.table if r else None, "sha256": sha, "bytes": size,
                         "rows_total": r.rows if r else 0, "rows_inserted": r.inserted if r else 0,
                         "rows_replaced": r.replaced if r else 0, "rows_unchanged": r.unchanged if r else 0})
    frame = pd.DataFrame(rows, columns=["file_name", "table_name", "sha256", "bytes", "rows_total",
                                        "rows_inserted", "rows_replaced", "rows_unchanged"])
    frame.insert(0, "position", range(1, len(frame) + 1))
    return frame.astype({"bytes": "int64", "rows_total": "int64", "rows_inserted": "int64",
                         "rows_replaced": "int64", "rows_unchanged": "int64"})


def _record_periods(cur, submission_id: str, parts, inst_id: str | None, declared: list[str]) -> None:
    """The periods the accepted rows fall in, per institution, and the declared ones."""
    pieces = []
    for part in parts:
        if part.table not in DATED:
            continue
        inst_column, loan_column, day_column = DATED[part.table]
        cells, n = part.cells, part.cells.num_rows

        def column(name):
            return (cells.column(name).cast(pa.string()) if name and name in cells.column_names
                    else pa.nulls(n, pa.string()))
        pieces.append(pa.table({"inst_id": column(inst_column), "loan_id": column(loan_column),
                                "day": column(day_column)}))
    rows = (pa.concat_tables(pieces) if pieces
            else pa.table({"inst_id": pa.array([], pa.string()), "loan_id": pa.array([], pa.string()),
                           "day": pa.array([], pa.string())}))
    claimed = pa.table({"inst_id": pa.array([inst_id] * len(declared), pa.string()),
                        "period": pa.array(declared, pa.string())})
    with engine.registered(cur, "submitted_rows", rows), engine.registered(cur, "declared_periods", claimed):
        engine.execute(cur, "workflow/record_submission_periods", submission_id=submission_id)


def store_history(con: duckdb.DuckDBPyConnection, submissions: pd.DataFrame, periods: pd.DataFrame) -> None:
    """Keep submissions made elsewhere (the demo's history of monthly reports): head rows as in
    `submissions`, the periods each covered as in `submission_periods`."""
    with engine.registered(con, "new_submissions", submissions):
        engine.execute(con, "workflow/store_submissions")
    with engine.registered(con, "new_periods", periods):
        engine.execute(con, "workflow/store_submission_periods")


# -- reading a receipt back ------------------------------------------------------------------

def receipt(con: duckdb.DuckDBPyConnection, submission_id: str, scope: Scope) -> Receipt | None:
    """A submission's receipt within `scope`, or None (unknown, or another institution's)."""
    head = engine.query(con, "workflow/receipt", scope=scope, submission_id=submission_id)
    if head.empty:
        return None
    return Receipt(head.iloc[0].to_dict(),
                   engine.query(con, "workflow/receipt_files", scope=scope, submission_id=submission_id),
                   engine.query(con, "workflow/receipt_periods", scope=scope, submission_id=submission_id),
                   engine.query(con, "workflow/receipt_errors", scope=scope, submission_id=submission_id))


def history(con: duckdb.DuckDBPyConnection, scope: Scope, limit: int = 500) -> pd.DataFrame:
    """Submissions, newest first: an institution its own, the regulator every one."""
    frame = engine.query(con, "workflow/submission_history", scope=scope, limit=limit)
    frame["result"] = frame["accepted"].map({True: "已接受", False: "被拒绝"})
    frame["channel_label"] = frame["channel"].map(CHANNELS)
    return frame


def _plain(value):
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat(timespec="seconds")
    if hasattr(value, "item"):
        return value.item()
    return value


def receipt_json(r: Receipt) -> dict:
    """The receipt as the API returns it (field names in English, messages in Chinese)."""
    head = {k: _plain(v) for k, v in r.head.items()}
    return {
        **head,
        "status": "accepted" if r.accepted else "refused",
        "message": ("报送已接受，数据已写入。" if r.accepted
                    else f"报送被拒绝：发现 {int(head['error_count']):,} 处问题，所有文件均未写入，数据库保持原样。"),
        "files": [{k: _plain(v) for k, v in row.items() if k != "position"} for row in r.files.to_dict("records")],
        "periods": [{k: _plain(v) for k, v in row.items()} for row in r.periods.to_dict("records")],
        "errors": [{"file": e["file_name"], "row": _plain(e["row_no"]), "column": _plain(e["column_name"]),
                    "value": _plain(e["cell_value"]), "message": e["message"]} for e in r.errors.to_dict("records")],
    }


def _head_rows(r: Receipt) -> pd.DataFrame:
    h = r.head
    rows = {
        "回执编号": h["submission_id"], "报送结果": "已接受" if r.accepted else "被拒绝（所有文件均未写入）",
        "报送时间": f"{pd.Timestamp(h['submitted_at']):%Y-%m-%d %H:%M:%S}", "报送人": h["submitter"],
        "报送机构": h["inst_id"] if isinstance(h["inst_id"], str) else "监管部门",
        "报送渠道": CHANNELS.get(h["channel"], h["channel"]), "文件数": f"{r.files['file_name'].nunique():,}",
        "数据行数": f"{int(h['rows_total']):,}",
        "新增 / 替换 / 未变": f"{int(h['rows_inserted']):,} / {int(h['rows_replaced']):,} / {int(h['rows_unchanged']):,}",
        "问题数": f"{int(h['error_count']):,}",
        "覆盖报送期间": "、".join(sorted(set(r.periods["period"]))) or "—",
    }
    return pd.DataFrame({"项目": list(rows), "内容": list(rows.values())})


FILE_HEADERS = {"file_name": "文件", "table_name": "表", "sha256": "SHA-256", "bytes": "字节数", "rows_total": "行数",
                "rows_inserted": "新增", "rows_replaced": "替换", "rows_unchanged": "未变"}
ERROR_HEADERS = {"file_name": "文件", "row_no": "行", "column_name": "列", "cell_value": "值", "message": "问题"}


def receipt_xlsx(r: Receipt) -> bytes:
    """The receipt as a workbook: the receipt itself, the files with their SHA-256, the periods, the errors."""
    sheets = {"回执": _head_rows(r),
              "文件": r.files.drop(columns="position").rename(columns=FILE_HEADERS),
              "报送期间": r.periods.rename(columns={"inst_id": "机构", "period": "期间", "rows_total": "行数"})}
    if not r.errors.empty:
        sheets["错误清单"] = r.errors.drop(columns="position").rename(columns=ERROR_HEADERS)
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(sheets, Path(folder) / "receipt.xlsx")
        return path.read_bytes()


def receipt_pdf(r: Receipt) -> bytes:
    """The receipt as a PDF (reportlab, with the standard Chinese font STSong-Light that every PDF
    reader has: nothing to embed, nothing fetched)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=9, leading=13, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, alignment=1)
    heading = ParagraphStyle("heading", parent=body, fontSize=11, leading=16, spaceBefore=6)

    def cell(value) -> Paragraph:
        return Paragraph(escape("" if value is None or (not isinstance(value, str) and pd.isna(value))
                                else str(value)), body)

    def table(frame: pd.DataFrame, widths) -> Table:
        data = [[cell(c) for c in frame.columns]] + [[cell(v) for v in row] for row in frame.itertuples(index=False)]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F1")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    files = r.files.drop(columns=["position", "bytes"]).rename(columns=FILE_HEADERS)
    story = [Paragraph("技改专项贷数据报送回执", title), Spacer(1, 4 * mm),
             table(_head_rows(r), [40 * mm, 130 * mm]),
             Paragraph("文件及 SHA-256", heading), table(files, [30 * mm, 24 * mm, 56 * mm, 15 * mm, 15 * mm, 15 * mm, 15 * mm])]
    if not r.errors.empty:
        shown = r.errors.head(2000).drop(columns="position").rename(columns=ERROR_HEADERS)
        note = f"（共 {len(r.errors):,} 条，PDF 列出前 {len(shown):,} 条，完整清单见 XLSX 回执）" if len(r.errors) > len(shown) else ""
        story += [Paragraph(f"错误清单{note}", heading), table(shown, [30 * mm, 12 * mm, 25 * mm, 30 * mm, 73 * mm])]
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph("本回执由技改专项贷赛马评价平台自动生成，回执编号与文件 SHA-256 可在平台“报送记录”中核对。", body))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                      bottomMargin=16 * mm, title=f"报送回执 {r.submission_id}", author="技改专项贷赛马评价平台").build(story)
    return buffer.getvalue()
