"""Reading uploaded files into parts: one table of text cells per table per file.

A CSV (UTF-8, with or without BOM; line breaks LF, CRLF or CR) names its table by its
file name: the stem is the table name, or starts with it followed by `_` or `-`
(`loans_2025.csv`). An XLSX names a table per sheet the same way (`workbook`); a
workbook with one sheet named otherwise (`Sheet1`) takes the file's name. The first row
holds the column names; a second row whose first cell starts with `#` holds the Chinese
labels of the templates and is skipped. Rows are numbered as Excel shows them (header =
row 1). Cells are trimmed; an empty cell is a missing value; an entirely empty row is
ignored. Every limit of `Limits` is checked, and a file that breaks one is refused
whole with a Chinese message naming it (and its sheet, row and column where they apply).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from scoring import contract
from scoring.importing import workbook
from scoring.importing.limits import Limits, size_text
from scoring.importing.report import ImportIssue, shown

BLANKS = " \t\r\n\u3000\u00a0"  # trimmed from every cell, full-width and no-break spaces included
LABEL_MARK = "#"  # first cell of the optional second header row (Chinese labels)
LINE_BREAK = re.compile(r"\r\n|\n|\r")
SAVE_AS_CSV = "请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入"

# The csv module only reads the rare files that need a second look (ragged rows, quotes);
# its own field limit (128 KB) would turn a long cell there into an obscure error, and
# cell length is checked by `Limits.cell_chars` instead.
csv.field_size_limit(1 << 30)


@dataclass
class Part:
    """The rows of one table from one file (a CSV, or one sheet of a workbook)."""

    file: str  # as shown to the user: "loans.csv", "book.xlsx[loans]"
    source: str  # the file's own name, as recorded in import_files
    table: str
    sha256: str
    cells: pa.Table  # row_no plus one text column per contract column present
    part_id: int = 0

    @property
    def view(self) -> str:
        """The name the part's cells are registered under in DuckDB."""
        return f"import_part_{self.part_id}"


def table_for(name: str) -> str | None:
    """The table a file or sheet name stands for: `loans`, `loans_2025`, `Loans-q1` → loans."""
    stem = name.strip().lower()
    matches = [t for t in contract.TABLES if stem == t or stem.startswith((f"{t}_", f"{t}-"))]
    return max(matches, key=len, default=None)


def read_sources(sources: Iterable, limits: Limits | None = None) -> tuple[list[Part], list[ImportIssue]]:
    """Parts and file-level issues of paths or (name, bytes) pairs."""
    limits = limits or Limits.from_env()
    parts: list[Part] = []
    issues: list[ImportIssue] = []
    for source in sources:
        name, data, problem = _name_and_bytes(source, limits)
        if problem:
            issues.append(ImportIssue(name, None, None, None, problem))
            continue
        suffix = Path(name).suffix.lower()
        reader = {".csv": _csv_parts, ".xlsx": _xlsx_parts}.get(suffix)
        if reader is None:
            issues.append(ImportIssue(name, None, None, None, "只支持 .csv（UTF-8）和 .xlsx 文件"))
            continue
        found, problems = reader(name, data, limits)
        parts += found
        issues += problems
    for i, part in enumerate(parts, start=1):
        part.part_id = i
    return parts, issues


def _name_and_bytes(source, limits: Limits) -> tuple[str, bytes | None, str | None]:
    """The file's name and bytes, or why it is not read (missing, or over the size limit)."""
    if isinstance(source, tuple):
        name, data = source
        size = len(data)
    else:
        path = Path(source)
        name, data = path.name, None
        try:
            size = path.stat().st_size
        except OSError:
            return name, None, "文件不存在或无法读取"
    if size > limits.file_bytes:
        return name, None, (f"文件大小 {size_text(size)}，超过导入上限 {size_text(limits.file_bytes)}：请拆分为几个文件分批导入"
                            "（上限由管理员设置 JIGAI_IMPORT_FILE_BYTES）")
    if data is None:
        try:
            data = Path(source).read_bytes()
        except OSError:
            return name, None, "文件不存在或无法读取"
    return name, data, None


# --- CSV -------------------------------------------------------------------------------------

def _csv_parts(name: str, data: bytes, limits: Limits) -> tuple[list[Part], list[ImportIssue]]:
    table = table_for(Path(name).stem)
    if table is None:
        return [], [_unknown_table(name, "文件名")]
    text, problem = _decoded(data)
    if problem:
        return [], [ImportIssue(name, None, None, None, problem)]
    first_break = LINE_BREAK.search(text)
    header = next(csv.reader([text[:first_break.start()] if first_break else text]), [])
    if not any(h.strip() for h in header):
        return [], [ImportIssue(name, 1, None, None, "文件没有表头行")]
    if len(header) > limits.columns:
        return [], [_too_many_columns(name, table, len(header), limits)]
    if not first_break:
        return [], []  # a header and nothing else
    if data.count(b'"') % 2:  # only then can a quote be left open
        problems = _quote_issues(name, text)
        if problems:
            return [], problems
    raw, problems = _csv_rows(name, data, text, len(header))
    if problems:
        return [], problems
    problems = _shape_issues(name, raw.num_rows, len(header), limits)
    if not problems and _last_line(text).strip(BLANKS + ","):
        problems = [ImportIssue(name, raw.num_rows + 1, None, None,
                                "文件最后一行没有以换行结束，可能在上传或复制时被截断：请核对最后一行的内容完整后，"
                                "在行末加一个换行再导入")]
    if problems:
        return [], problems
    return make_part(name, name, table, _sha256(data), header, raw, limits)


def _last_line(text: str) -> str:
    """What follows the last line break: empty when the file ends with one."""
    return text[max(text.rfind("\n"), text.rfind("\r")) + 1:]


def _decoded(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return "", f"文件是 UTF-16 编码（Excel 的“Unicode 文本”）：{SAVE_AS_CSV}"
        return "", f"文件不是 UTF-8 编码（可能是 GBK/ANSI）：{SAVE_AS_CSV}"


def _records(text: str) -> Iterable[tuple[int, list[str]]]:
    """(row, fields) of every record, rows numbered as records (header = 1); any line break."""
    return enumerate(csv.reader(io.StringIO(text, newline=""), strict=True), start=1)


def _quote_issues(name: str, text: str) -> list[ImportIssue]:
    """A quote left open swallows every later line into one cell (and a cut-off upload
    ends inside one): refuse it, naming the record where the quote opens."""
    row = 0
    try:
        for row, _ in _records(text):
            pass
    except csv.Error:
        return [ImportIssue(name, row + 1, None, None,
                            "从该行起引号没有配对（可能缺少结束引号，或文件被截断）：含逗号、引号或换行的单元格须整体用英文双引号括起，"
                            "单元格内的引号写作两个双引号")]
    return []


def _csv_rows(name: str, data: bytes, text: str, width: int) -> tuple[pa.Table | None, list[ImportIssue]]:
    """Every record after the header as text (blank lines kept, so row numbers stay true)."""
    names = [f"c{i}" for i in range(width)]
    invalid = []

    def read(block_size: int) -> pa.Table:
        return pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=block_size),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False,
                                             invalid_row_handler=lambda row: invalid.append(row) or "skip"),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )

    try:
        try:
            raw = read(1 << 20)
        except pa.ArrowInvalid as error:
            if "straddling" not in str(error):
                raise
            invalid.clear()
            raw = read(len(data) + 1)  # a record longer than a block: read the file as one block
    except pa.ArrowInvalid:
        return None, [ImportIssue(name, None, None, None, f"CSV 格式错误，无法读取：{SAVE_AS_CSV}")]
    if invalid:
        return None, _ragged_rows(name, text, width)
    return raw, []


def _ragged_rows(name: str, text: str, width: int) -> list[ImportIssue]:
    """Rows with more or fewer fields than the header (only read this slow way when they exist)."""
    issues, row = [], 0
    try:
        for row, fields in _records(text):
            if fields and len(fields) != width:
                issues.append(ImportIssue(name, row, None, None, f"该行有 {len(fields)} 个字段，表头有 {width} 列："
                                                                 "请检查多余或缺少的逗号、未配对的引号"))
    except csv.Error:
        issues.append(ImportIssue(name, row + 1, None, None, "该行引号使用不规范：含逗号、引号或换行的单元格须整体用英文双引号括起"))
    return issues


def _shape_issues(name: str, rows: int, columns: int, limits: Limits) -> list[ImportIssue]:
    """Too many rows, or too many cells, for one file or sheet."""
    if rows > limits.rows:
        return [ImportIssue(name, None, None, None, f"共 {rows:,} 行，超过单个文件（工作表）{limits.rows:,} 行的导入上限：请拆分后分批导入")]
    if rows * columns > limits.cells:
        return [ImportIssue(name, None, None, None, f"共 {rows:,} 行 × {columns:,} 列，超过单个文件（工作表）"
                                                    f"{limits.cells:,} 个单元格的导入上限：请删去多余的列或拆分后分批导入")]
    return []


def _too_many_columns(name: str, table: str, width: int, limits: Limits) -> ImportIssue:
    spec = contract.TABLES[table]
    return ImportIssue(name, 1, None, None, f"表头有 {width:,} 列，超过导入上限 {limits.columns:,} 列："
                                            f"{spec.label}表（{table}）只有 {len(spec.columns)} 列，请删去多余的列")


# --- XLSX ------------------------------------------------------------------------------------

def _xlsx_parts(name: str, data: bytes, limits: Limits) -> tuple[list[Part], list[ImportIssue]]:
    sheets, issues = workbook.read(name, data, limits)
    if issues:
        return [], issues
    parts = []
    sha = _sha256(data)
    for sheet in sheets:
        table = table_for(sheet.title) or (table_for(Path(name).stem) if len(sheets) == 1 else None)
        shown_name = f"{name}[{sheet.title}]"
        if table is None:
            issues.append(_unknown_table(shown_name, "工作表名"))
            continue
        header = [h or "" for h in sheet.header]
        found, problems = make_part(shown_name, name, table, sha, header, sheet.rows, limits, sheet.header_row)
        parts += found
        issues += problems
    return parts, issues


def _unknown_table(name: str, what: str) -> ImportIssue:
    return ImportIssue(name, None, None, None,
                       f"{what}不对应任何数据表：应为表名（如 loans）或以“表名_”开头，可用的表名有 {'、'.join(contract.ORDER)}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- one part ------------------------------------------------------------------------------

def make_part(file: str, source: str, table: str, sha: str, header: list[str], raw: pa.Table,
         limits: Limits | None = None, header_row: int = 1) -> tuple[list[Part], list[ImportIssue]]:
    """Clean the raw rows of one table and check its header; no part when it has no data rows.

    `raw` holds the rows after the header as text columns c0…; `header_row` is the
    header's row as Excel numbers it."""
    limits = limits or Limits.from_env()
    raw = raw.append_column("row_no", pa.array(np.arange(header_row + 1, raw.num_rows + header_row + 1, dtype=np.int64)))
    if raw.num_rows and str(raw.column(0)[0].as_py() or "").startswith(LABEL_MARK):
        raw = raw.slice(1)  # the templates' row of Chinese labels
    columns = [_clean(raw.column(i)) for i in range(len(header))]
    empty = reduce(pc.and_, (pc.is_null(c) for c in columns))
    cleaned = pa.table({**{f"c{i}": c for i, c in enumerate(columns)}, "row_no": raw.column("row_no")})
    cleaned = cleaned.filter(pc.invert(empty))
    if cleaned.num_rows == 0:
        return [], []
    issues, positions = _header_issues(file, table, header, cleaned)
    issues += _long_cells(file, header, cleaned, limits)
    in_contract_order = [c for c in contract.TABLES[table].names if c in positions]  # key columns in key order
    cells = pa.table({"row_no": cleaned.column("row_no"),
                      **{name: cleaned.column(f"c{positions[name]}") for name in in_contract_order}})
    return [Part(file, source, table, sha, cells)], issues



def _clean(column: pa.ChunkedArray) -> pa.ChunkedArray:
    trimmed = pc.utf8_trim(column, characters=BLANKS)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _long_cells(file: str, header: list[str], cleaned: pa.Table, limits: Limits) -> list[ImportIssue]:
    """Cells longer than the limit, each named by row and column (the value is cut)."""
    issues = []
    for i, name in enumerate(header):
        column = cleaned.column(f"c{i}")
        long = pc.fill_null(pc.greater(pc.utf8_length(column), limits.cell_chars), False)
        for row, value in zip(cleaned.column("row_no").filter(long).to_pylist(), column.filter(long).to_pylist()):
            issues.append(ImportIssue(file, row, name.strip() or f"第{i + 1}列", shown(value),
                                      f"单元格有 {len(value):,} 个字符，超过导入上限 {limits.cell_chars:,} 个字符"))
    return issues


def _header_issues(file: str, table: str, header: list[str],
                   cleaned: pa.Table) -> tuple[list[ImportIssue], dict[str, int]]:
    """Unknown, repeated, unnamed and missing required columns; and where each known column is."""
    spec = contract.TABLES[table]
    issues, positions = [], {}
    for i, raw_name in enumerate(header):
        name = raw_name.strip()
        if not name:
            if cleaned.column(f"c{i}").null_count < cleaned.num_rows:
                issues.append(ImportIssue(file, 1, f"第{i + 1}列", None, f"第 {i + 1} 列有数据但没有列名"))
        elif name in positions:
            issues.append(ImportIssue(file, 1, name, None, f"列名“{name}”重复出现"))
        elif name not in spec.names:
            issues.append(ImportIssue(file, 1, shown(name), None,
                                      f"未知列“{shown(name)}”：{spec.label}表（{table}）的列为 {', '.join(spec.names)}"))
        else:
            positions[name] = i
    issues += [
        ImportIssue(file, 1, c.name, None, f"缺少必填列“{c.name}”（{c.label}）")
        for c in spec.columns if c.required and c.default is None and c.name not in positions
    ]
    return issues, positions
