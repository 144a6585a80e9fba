"""Reading an XLSX workbook with bounded memory (README "导入上限").

A workbook is a zip of XML parts, and a 1.5 KB file can declare a used range of 17
billion cells. So before anything is parsed, every part is decompressed once, as a
stream, by this module: each must inflate to exactly the size and checksum its
directory declares (no lying zip entries), all of them together within
`Limits.unzipped_bytes`; each worksheet's XML is scanned for its true extent (the
highest row and column any cell names — a stored `<dimension>` is never trusted) and
for formulas that carry no cached value. Only a workbook within every limit is handed
to calamine (python-calamine), which then allocates at most rows × columns ≤
`Limits.cells` cells; its rows are converted to Arrow text columns in chunks.

Formulas: a formula cell is read as the value Excel saved with it; a formula saved
without one (written by a program, never calculated) would read as empty, so it is
refused. Hidden sheets with data are refused too: nobody checked what they hold.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import islice
from xml.etree import ElementTree

import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from scoring.importing.limits import Limits, size_text
from scoring.importing.report import ImportIssue

DAMAGED = "无法读取 Excel 工作簿：文件已损坏，或不是 .xlsx 格式（.xls、.et 等请在 Excel/WPS 中另存为 .xlsx 后再导入）"
OUT_CHUNK = 4 << 20  # decompressed bytes handled at a time
ROW_CHUNK = 65_536  # rows converted to Arrow at a time
CONTROL_PART_BYTES = 16 << 20  # workbook.xml and its relations are small; more is not a workbook

_ROW = re.compile(rb'[<:]row\b[^>]*?\sr="(\d+)"')
_ROW_WITHOUT_REF = re.compile(rb'<(?:\w+:)?row(?![^>]*\sr=")(?:\s[^>]*)?>')
_CELL_COLUMN = re.compile(rb'r="([A-Z]+)\d')  # only cells name a place with letters (a stray match only overcounts)
_CELL_ROW = re.compile(rb'r="[A-Z]+(\d+)"')
_CELL_WITHOUT_REF = re.compile(rb'<(?:\w+:)?c(?![^>]*\sr=")(?:\s[^>]*)?/?>')
_BARE_FORMULA = re.compile(  # a cell holding a formula and no (or an empty) cached value
    rb'<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*'
    rb'(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')
_REF_ATTRIBUTE = re.compile(rb'\sr="([A-Z]+)(\d+)"')


class Damaged(Exception):
    """The zip does not hold what its directory declares."""


@dataclass
class Sheet:
    """One sheet's cells as text: its header and the rows below it (c0, c1, …)."""

    title: str
    header_row: int  # the header's row as Excel numbers it
    header: list[str | None]
    rows: pa.Table


@dataclass
class _Extent:
    """What a worksheet's XML holds at most, found without parsing it."""

    rows: int = 0
    columns: int = 0
    bare_formulas: list[tuple[int, str]] = field(default_factory=list)  # (row, column letters)


def read(name: str, data: bytes, limits: Limits) -> tuple[list[Sheet], list[ImportIssue]]:
    """The workbook's non-empty worksheets, or the issues that stop it being read."""
    try:
        sheets, extents, problems = _inspect(name, data, limits)
    except (Damaged, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, struct.error, zlib.error):
        return [], [ImportIssue(name, None, None, None, DAMAGED)]
    if problems:
        return [], problems
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        read_sheets = [_sheet(book.get_sheet_by_name(title), title) for title, _, _ in sheets]
        book.close()
    except Exception:  # calamine raises its own kinds for whatever it cannot parse
        return [], [ImportIssue(name, None, None, None, DAMAGED)]
    read_sheets = [s for s in read_sheets if _has_data(s)]
    hidden = {title for title, _, state in sheets if state != "visible"}
    problems = [ImportIssue(f"{name}[{s.title}]", None, None, None,
                            "该工作表是隐藏的，其中的数据无人核对过：请在 Excel 中取消隐藏并核对，或删除该工作表后再导入")
                for s in read_sheets if s.title in hidden]
    return ([], problems) if problems else (read_sheets, [])


# --- before parsing: the zip, the sheets, their extents --------------------------------------------

def _inspect(name: str, data: bytes, limits: Limits) -> tuple[list[tuple[str, str, str]], dict, list[ImportIssue]]:
    """(title, part path, state) of every worksheet, the extent of each part, and every
    limit broken; raises Damaged (or a zip/XML error) for a file that is not a sound zip."""
    book = zipfile.ZipFile(io.BytesIO(data))
    infos = book.infolist()
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise Damaged("repeated part name")
    unzipped = sum(i.file_size for i in infos)
    if unzipped > limits.unzipped_bytes:
        return [], {}, [ImportIssue(name, None, None, None, f"工作簿解压后共 {size_text(unzipped)}，超过导入上限 "
                                                            f"{size_text(limits.unzipped_bytes)}：请拆分为几个文件，或改用 CSV 导入")]
    by_name = {i.filename: i for i in infos}
    sheets = _worksheets(data, by_name)
    if len(sheets) > limits.sheets:
        return sheets, {}, [ImportIssue(name, None, None, None,
                                        f"工作簿有 {len(sheets):,} 个工作表，超过导入上限 {limits.sheets} 个：请拆分后分批导入")]
    sheet_paths = {path for _, path, _ in sheets}
    extents = {}
    for info in infos:  # every part: calamine must never inflate more than was checked here
        chunks = _inflated(data, info)
        if info.filename in sheet_paths:
            extents[info.filename] = _scan(chunks)
        else:
            for _ in chunks:
                pass
    problems = []
    for title, path, _ in sheets:
        problems += _extent_issues(f"{name}[{title}]", extents.get(path, _Extent()), limits)
    return sheets, extents, problems


def _worksheets(data: bytes, by_name: dict[str, zipfile.ZipInfo]) -> list[tuple[str, str, str]]:
    """(title, part path, state: visible / hidden / veryHidden) of each worksheet, in order."""
    root_rels = _xml(data, by_name, "_rels/.rels")
    book_path = next((_target("", r.get("Target")) for r in root_rels.iter() if r.get("Type", "").endswith("/officeDocument")),
                     "xl/workbook.xml")
    book = _xml(data, by_name, book_path)
    folder = posixpath.dirname(book_path)
    rels_path = posixpath.join(folder, "_rels", posixpath.basename(book_path) + ".rels")
    targets = {r.get("Id"): (r.get("Type", ""), _target(folder, r.get("Target"))) for r in _xml(data, by_name, rels_path).iter()
               if r.get("Id")}
    sheets = []
    for element in book.iter():
        if not element.tag.endswith("}sheet"):
            continue
        rel = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        kind, path = targets.get(rel, ("", ""))
        if kind.endswith("/worksheet"):
            sheets.append((element.get("name", ""), path, element.get("state", "visible")))
    return sheets


def _target(folder: str, target: str | None) -> str:
    if not target:
        raise Damaged("relation without target")
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _xml(data: bytes, by_name: dict[str, zipfile.ZipInfo], path: str) -> ElementTree.Element:
    info = by_name[path]
    if info.file_size > CONTROL_PART_BYTES:
        raise Damaged(f"{path} too large")
    return ElementTree.fromstring(b"".join(_inflated(data, info)))


def _inflated(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, inflated in chunks from its own local entry; raises Damaged when
    they are more or fewer than declared, fail the checksum, or are stored oddly."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Damaged("encrypted or unusual compression")
    header = data[info.header_offset:info.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise Damaged("no local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    packed = memoryview(data)[start:start + info.compress_size]
    if len(packed) != info.compress_size:
        raise Damaged("truncated part")
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced, crc = 0, 0
    for offset in range(0, len(packed), OUT_CHUNK):
        pending = bytes(packed[offset:offset + OUT_CHUNK])
        while pending:
            if inflater is None:
                out, pending = pending, b""
            else:
                out = inflater.decompress(pending, OUT_CHUNK)
                pending = inflater.unconsumed_tail
            produced += len(out)
            if produced > info.file_size:
                raise Damaged("inflates beyond its declared size")
            crc = zlib.crc32(out, crc)
            yield out
    if inflater is not None and (inflater.flush() or not inflater.eof):
        raise Damaged("deflate stream does not end where declared")
    if produced != info.file_size or crc != info.CRC:
        raise Damaged("size or checksum differs")


def _scan(chunks: Iterator[bytes]) -> _Extent:
    """The true extent of a worksheet's XML and its formulas without a value.

    Cells and rows name their place (r="B7"); one that does not takes the next place,
    so it is counted as one more row or column than the largest named one."""
    extent, carry = _Extent(), b""
    unnamed_rows = unnamed_cells = 0
    for chunk in chunks:
        text = carry + chunk
        ends = [i + len(token) for token in (b"c>", b"row>") if (i := text.rfind(token)) >= 0]
        cut = max(ends, default=0)  # after the last end of a cell or row: no tag is split
        text, carry = text[:cut], text[cut:]
        cell_rows = _CELL_ROW.findall(text)
        rows = set(_ROW.findall(text)) | set(cell_rows)
        if rows:
            extent.rows = max(extent.rows, max(map(int, rows)))
        letters = set(_CELL_COLUMN.findall(text))
        if letters:
            extent.columns = max(extent.columns, max(map(_column_number, letters)))
        if text.count(b"row") > 2 * len(rows):  # cheap test first: some row may have no r=
            unnamed_rows += len(_ROW_WITHOUT_REF.findall(text))
        if text.count(b"<c") + text.count(b":c ") + text.count(b":c>") > len(cell_rows):
            unnamed_cells += len(_CELL_WITHOUT_REF.findall(text))
        for match in _BARE_FORMULA.finditer(text) if b"f>" in text or b"f " in text else ():
            ref = _REF_ATTRIBUTE.search(match.group(1))
            if ref:
                extent.bare_formulas.append((int(ref.group(2)), ref.group(1).decode()))
    extent.rows += unnamed_rows
    extent.columns += unnamed_cells
    return extent


def _column_number(letters: bytes) -> int:
    """B → 2, XFD → 16384."""
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _extent_issues(file: str, extent: _Extent, limits: Limits) -> list[ImportIssue]:
    issues = []
    if extent.rows > limits.rows or extent.columns > limits.columns or extent.rows * extent.columns > limits.cells:
        issues.append(ImportIssue(file, None, None, None,
                                  f"工作表的已用区域达到 {extent.rows:,} 行 × {extent.columns:,} 列，超过导入上限（{limits.rows:,} 行、"
                                  f"{limits.columns:,} 列、{limits.cells:,} 个单元格）：请删除数据区域以外远处的单元格"
                                  "（含只设了格式或空格的单元格）后另存再导入"))
    issues += [ImportIssue(file, row, f"{letters} 列", None,
                           f"单元格 {letters}{row} 是公式，但文件没有保存公式的计算结果：请在 Excel/WPS 中打开并保存，"
                           "或把公式“粘贴为数值”后再导入")
               for row, letters in extent.bare_formulas]
    return issues


# --- parsing, once within the limits -----------------------------------------------------------

def _sheet(sheet, title: str) -> Sheet:
    rows = sheet.iter_rows()
    header = [cell_text(v) for v in next(rows, [])]
    width = len(header)
    chunks = []
    while block := list(islice(rows, ROW_CHUNK)):
        columns = list(zip(*block))
        chunks.append(pa.table({f"c{i}": pa.array(_texts(columns[i]), pa.string()) for i in range(width)}))
    empty = pa.table({f"c{i}": pa.array([], pa.string()) for i in range(width)})
    table = pa.concat_tables(chunks) if chunks else empty
    return Sheet(title, sheet.start[0] + 1 if sheet.height else 1, header, table)


def _texts(values: tuple) -> list[str | None]:
    return [v if v.__class__ is str else cell_text(v) for v in values]


def _has_data(sheet: Sheet) -> bool:
    return any(h not in (None, "") for h in sheet.header) or any(
        pc.any(pc.not_equal(column, "")).as_py() for column in sheet.rows.columns
    )


def cell_text(value) -> str | None:
    """An Excel cell as the text a CSV would hold (dates ISO, numbers as their shortest
    decimal; the validation then removes binary float noise by its documented rule)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        number = Decimal(repr(value))
        return str(int(number)) if number == number.to_integral_value() else format(number, "f")
    return str(value)
