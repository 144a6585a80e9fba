"""The validated import of reported files (DATA.md "What bad input gets").

One call checks every file it is given together, collecting every error, and writes
nothing unless all of them are clean; then it writes them all in one transaction, in
`contract.ORDER`. The checks are driven by `scoring.contract` and run set-based in
DuckDB, one query per question under `queries/import/`: each file part is registered
as a table of text cells (Arrow, zero-copy), each column is checked through a view,
and what spans rows or files (keys, references, ownership) through staging tables.

Reading: a CSV (UTF-8, with or without BOM) names its table by its file name: the
stem is the table name, or starts with it followed by `_` or `-` (`loans_2025.csv`).
An XLSX names a table per sheet the same way; a workbook with one sheet named
otherwise (`Sheet1`) takes the file's name. The first row holds the column names; a
second row whose first cell starts with `#` holds the Chinese labels of the templates
and is skipped. Rows are numbered as Excel shows them (header = row 1). Cells are
trimmed; an empty cell is a missing value; an entirely empty row is ignored.

Writing is idempotent: a row whose key exists with identical values changes nothing,
one with new values replaces the stored row (old and new go to `audit_log`), a new key
is inserted. Replacement is of the whole row: a column the file leaves out takes its
default (or stays empty) in the replaced row.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import reduce
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from scoring import audit, calendar, contract, db
from scoring.creditcode import problem as credit_code_problem

# --- choices where DATA.md is silent (listed in the README) ---------------------------

REGULATOR_ONLY = ("institutions", "districts", "enterprises", "projects", "holidays", "cooperation", "flags")
"""Tables an institution user may not load: reference data, the government's project
pool (filing and pooling are administrative acts), the calendar, the cooperation list
and supervisory flags belong to the regulator."""

OWNER_COLUMNS = (
    # (table, column, via): a row belongs to the institution its owner column names,
    # directly or (via="loans") through the loan it refers to; any one suffices.
    ("loans", "inst_id", None),
    ("applications", "inst_id", None),
    ("products", "inst_id", None),
    ("cases", "inst_id", None),
    ("insurance_policies", "insurer_id", None),
    ("interest_payments", "loan_id", "loans"),
    ("guarantees", "loan_id", "loans"),
    ("guarantees", "guarantor_id", None),  # the guarantee firm reports its own fees (R5)
)

REF_KINDS = {
    # which kinds of institution may stand in a column (DATA.md; lenders per POLICY.md "Who is who")
    ("guarantees", "guarantor_id"): ("guarantee",),
    ("insurance_policies", "insurer_id"): ("insurer",),
    ("loans", "inst_id"): ("bank", "leasing"),
    ("applications", "inst_id"): ("bank", "leasing"),
    ("cooperation", "inst_id"): ("bank", "leasing"),
}

POSITIVE = {
    # strictly positive, as the schema's checks demand (a 0 % loan would also break R2)
    ("loans", "amount"), ("loans", "rate"), ("loans", "lpr"), ("guarantees", "guaranteed_amount"),
}

ORDER_RULES = (
    # (table, column, other column, relation, message) beyond contract.DATE_RULES
    ("loans", "land_amount", "amount", "not_above", "用于土地的金额超过合同金额"),
    ("projects", "land_cost", "total_investment", "not_above", "土地费用超过项目总投资"),
)
STRICT_DATE_RULES = {("loans", "maturity_on"): "到期日期应晚于签约日期"}  # schema: maturity_on > signed_on

TYPED_SQL = {
    # text cell → the stored type, once validation has passed
    "text": "{v}",
    "credit_code": "{v}",
    "date": "cast({v} as date)",
    "money": "cast({v} as decimal(18, 2))",
    "rate": "cast({v} as decimal(9, 6))",
    "int": "cast({v} as integer)",
    "bool": "lower({v}) in ('true', '是', '1')",
    # a list is stored as its items joined by ';', blanks and full-width separators removed
    "list": r"nullif(trim(regexp_replace(regexp_replace({v}, '\s*[;；]\s*', ';', 'g'), ';+', ';', 'g'), ';'), '')",
}

BLANKS = " \t\r\n\u3000\u00a0"  # trimmed from every cell, full-width and no-break spaces included
LABEL_MARK = "#"  # first cell of the optional second header row (Chinese labels)


# --- results ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportIssue:
    """One problem: where it is (row as Excel numbers it, header = 1) and what is wrong."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str


@dataclass(frozen=True)
class FileResult:
    """One table of one file: its rows and what importing them changed."""

    file: str
    table: str
    sha256: str
    rows: int
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    errors: list[ImportIssue] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_text(self) -> str:
        """A Chinese report: what was imported, or every error that stopped it."""
        if not self.ok:
            lines = [f"导入被拒绝：发现 {len(self.errors):,} 处问题，所有文件均未写入，数据库保持原样。"]
            lines += [f"  {_describe(issue)}" for issue in self.errors]
            return "\n".join(lines)
        if not self.files:
            return "没有可导入的数据行。"
        total = sum(f.rows for f in self.files)
        lines = [
            f"导入成功：{len(self.files)} 个表文件，共 {total:,} 行（新增 {sum(f.inserted for f in self.files):,}，"
            f"替换 {sum(f.replaced for f in self.files):,}，未变 {sum(f.unchanged for f in self.files):,}）。"
        ]
        for f in self.files:
            label = contract.TABLES[f.table].label
            lines.append(
                f"  {f.file} → {label}（{f.table}）：{f.rows:,} 行，新增 {f.inserted:,}，替换 {f.replaced:,}，"
                f"未变 {f.unchanged:,}；SHA-256 {f.sha256[:12]}…"
            )
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """The errors as a table with Chinese headers, for the dashboard."""
        return pd.DataFrame(
            [(e.file, e.row, e.column, e.value, e.message) for e in self.errors],
            columns=["文件", "行", "列", "值", "问题"],
        )


def _describe(issue: ImportIssue) -> str:
    place = "（整个文件）" if issue.row is None else ("表头" if issue.row == 1 else f"第 {issue.row} 行")
    column = f" 列 {issue.column}" if issue.column else ""
    value = f" 值“{issue.value}”" if issue.value not in (None, "") else ""
    return f"{issue.file} {place}{column}{value}：{issue.message}"


# --- reading files into parts ------------------------------------------------------------

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


def read_sources(sources: Iterable) -> tuple[list[Part], list[ImportIssue]]:
    """Parts and file-level issues of paths or (name, bytes) pairs."""
    parts: list[Part] = []
    issues: list[ImportIssue] = []
    for source in sources:
        name, data = _name_and_bytes(source)
        if data is None:
            issues.append(ImportIssue(name, None, None, None, "文件不存在或无法读取"))
            continue
        suffix = Path(name).suffix.lower()
        reader = {".csv": _csv_parts, ".xlsx": _xlsx_parts}.get(suffix)
        if reader is None:
            issues.append(ImportIssue(name, None, None, None, "只支持 .csv（UTF-8）和 .xlsx 文件"))
            continue
        found, problems = reader(name, data)
        parts += found
        issues += problems
    for i, part in enumerate(parts, start=1):
        part.part_id = i
    return parts, issues


def _name_and_bytes(source) -> tuple[str, bytes | None]:
    if isinstance(source, tuple):
        return source[0], source[1]
    path = Path(source)
    try:
        return path.name, path.read_bytes()
    except OSError:
        return path.name, None


def _csv_parts(name: str, data: bytes) -> tuple[list[Part], list[ImportIssue]]:
    table = table_for(Path(name).stem)
    if table is None:
        return [], [_unknown_table(name, "文件名")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [ImportIssue(name, None, None, None,
                                "文件不是 UTF-8 编码（可能是 GBK/ANSI）：请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”")]
    header = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or None])), [])
    if not any(h.strip() for h in header):
        return [], [ImportIssue(name, 1, None, None, "文件没有表头行")]
    if "\n" not in text:
        return [], []  # a header and nothing else
    raw, width_issues = _csv_rows(name, data, text, len(header))
    if width_issues:
        return [], width_issues
    return _part(name, name, table, _sha256(data), header, raw)


def _csv_rows(name: str, data: bytes, text: str, width: int) -> tuple[pa.Table | None, list[ImportIssue]]:
    """Every record after the header as text (blank lines kept, so row numbers stay true)."""
    names = [f"c{i}" for i in range(width)]
    invalid = []
    try:
        raw = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False,
                                             invalid_row_handler=lambda row: invalid.append(row) or "skip"),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid as error:
        return None, [ImportIssue(name, None, None, None, f"CSV 格式错误，无法读取：{error}")]
    if invalid:
        return None, _ragged_rows(name, text, width)
    return raw, []


def _ragged_rows(name: str, text: str, width: int) -> list[ImportIssue]:
    """Rows with more or fewer fields than the header (only read this slow way when they exist)."""
    return [
        ImportIssue(name, row, None, None, f"该行有 {len(fields)} 个字段，表头有 {width} 列：请检查多余或缺少的逗号、未配对的引号")
        for row, fields in enumerate(csv.reader(io.StringIO(text)), start=1)
        if fields and len(fields) != width
    ]


def _xlsx_parts(name: str, data: bytes) -> tuple[list[Part], list[ImportIssue]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        return [], [ImportIssue(name, None, None, None, f"无法读取 Excel 工作簿：{error}")]
    sheets = []
    for sheet in book.worksheets:
        sheet.reset_dimensions()  # some writers store a wrong used range; read what is there
        sheets.append((sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]))
    book.close()
    sheets = [(title, rows) for title, rows in sheets if any(v not in (None, "") for row in rows for v in row)]
    parts, issues = [], []
    sha = _sha256(data)
    for title, rows in sheets:
        table = table_for(title) or (table_for(Path(name).stem) if len(sheets) == 1 else None)
        shown = f"{name}[{title}]"
        if table is None:
            issues.append(_unknown_table(shown, "工作表名"))
            continue
        width = max(len(row) for row in rows)
        texts = [[_cell_text(v) for v in row] + [None] * (width - len(row)) for row in rows]
        header = [h or "" for h in texts[0]]
        raw = pa.table({f"c{i}": pa.array([row[i] for row in texts[1:]], pa.string()) for i in range(width)})
        found, problems = _part(shown, name, table, sha, header, raw)
        parts += found
        issues += problems
    return parts, issues


def _cell_text(value) -> str | None:
    """An Excel cell as the text a CSV would hold (dates ISO, numbers without float noise)."""
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


def _unknown_table(name: str, what: str) -> ImportIssue:
    return ImportIssue(name, None, None, None,
                       f"{what}不对应任何数据表：应为表名（如 loans）或以“表名_”开头，可用的表名有 {'、'.join(contract.ORDER)}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _part(file: str, source: str, table: str, sha: str, header: list[str],
          raw: pa.Table) -> tuple[list[Part], list[ImportIssue]]:
    """Clean the raw rows of one table and check its header; no part when it has no data rows."""
    raw = raw.append_column("row_no", pa.array(np.arange(2, raw.num_rows + 2, dtype=np.int64)))
    if raw.num_rows and str(raw.column(0)[0].as_py() or "").startswith(LABEL_MARK):
        raw = raw.slice(1)  # the templates' row of Chinese labels
    columns = [_clean(raw.column(i)) for i in range(len(header))]
    empty = reduce(pc.and_, (pc.is_null(c) for c in columns))
    cleaned = pa.table({**{f"c{i}": c for i, c in enumerate(columns)}, "row_no": raw.column("row_no")})
    cleaned = cleaned.filter(pc.invert(empty))
    if cleaned.num_rows == 0:
        return [], []
    issues, positions = _header_issues(file, table, header, cleaned)
    cells = pa.table({"row_no": cleaned.column("row_no"),
                      **{name: cleaned.column(f"c{i}") for name, i in positions.items()}})
    return [Part(file, source, table, sha, cells)], issues


def _clean(column: pa.ChunkedArray) -> pa.ChunkedArray:
    trimmed = pc.utf8_trim(column, characters=BLANKS)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


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
            issues.append(ImportIssue(file, 1, name, None,
                                      f"未知列“{name}”：{spec.label}表（{table}）的列为 {', '.join(spec.names)}"))
        else:
            positions[name] = i
    issues += [
        ImportIssue(file, 1, c.name, None, f"缺少必填列“{c.name}”（{c.label}）")
        for c in spec.columns if c.required and c.default is None and c.name not in positions
    ]
    return issues, positions


# --- validation ---------------------------------------------------------------------------
# Per file part, each column is checked on its own through the view `import_column`
# (row_no, value) and each pair of ordered columns through `import_pair`; what spans
# rows or files (keys, references, ownership) goes through small staging tables.

def _validate(cur, parts: list[Part], inst_id: str | None) -> list[ImportIssue]:
    """Every issue of the parts, found set-based (the parts stay registered for writing)."""
    _stage_contract(cur)
    _stage_parts(cur, parts)
    _stage_known(cur, parts)
    found = _spanning_issues(cur, parts, "import/duplicate_keys")
    for part in parts:
        found += _column_issues(cur, part) + _pair_issues(cur, part)
    if inst_id is not None:
        _stage_owner_cells(cur, parts)
        found += _spanning_issues(cur, parts, "import/scope_issues", {"inst": inst_id})
    return found


def _spanning_issues(cur, parts: list[Part], query: str, params: dict | None = None) -> list[ImportIssue]:
    """The issues of a query over all parts at once (rows: part_id, row, column, value, message)."""
    files = {p.part_id: p.file for p in parts}
    return [ImportIssue(files[part_id], row, col, value, message)
            for part_id, row, col, value, message in cur.execute(db.sql(query), params).fetchall()]


def _scope_refusals(parts: list[Part], inst_id: str | None) -> list[ImportIssue]:
    if inst_id is None:
        return []
    return [
        ImportIssue(p.file, None, None, None,
                    f"机构用户不能导入“{contract.TABLES[p.table].label}”表（{p.table}）：该表只能由监管部门导入")
        for p in parts if p.table in REGULATOR_ONLY
    ]


def _create(cur, name: str, rows: list[tuple], schema: list[tuple[str, str]]) -> None:
    """A temp table `name` (columns and SQL types in `schema`) holding `rows`.

    Declared, not created from a query: in DuckDB 2.0.0 a table made by CREATE TABLE AS
    inside a transaction loses rows inserted into it later (scans see none).
    """
    cur.execute(f"create or replace temp table {name} ({', '.join(f'{n} {t}' for n, t in schema)})")
    if rows:
        columns = list(zip(*rows))
        cur.register("import_source", pa.table({n: pa.array(list(v)) for (n, _), v in zip(schema, columns)}))
        cur.execute(f"insert into {name} select * from import_source")
        cur.unregister("import_source")


def _stage_contract(cur) -> None:
    """What the checks join to: tables, allowed values, institution roles, ownership."""
    s, i = "varchar", "integer"
    _create(cur, "import_columns", [
        (t.name, c.name, t.key.index(c.name) + 1 if c.name in t.key else None)
        for t in contract.TABLES.values() for c in t.columns
    ], [("tbl", s), ("col", s), ("key_pos", i)])
    _create(cur, "import_allowed", [(t.name, c.name, v) for t in contract.TABLES.values() for c in t.columns
                                    for v in c.values], [("tbl", s), ("col", s), ("value", s)])
    _create(cur, "import_ref_kinds", [(t, c, k) for (t, c), kinds in REF_KINDS.items() for k in kinds],
            [("tbl", s), ("col", s), ("kind", s)])
    owner_tables = [t for t, _, _ in OWNER_COLUMNS]
    _create(cur, "import_owner_columns", [
        (t, c, via, owner_tables[:n].count(t) + 1)  # position among the table's owner columns, from 1
        for n, (t, c, via) in enumerate(OWNER_COLUMNS)
    ], [("tbl", s), ("col", s), ("via", s), ("position", i)])


def _stage_parts(cur, parts: list[Part]) -> None:
    """Register every part as import_part_<id>; list their rows and row keys."""
    s, i, n = "varchar", "integer", "bigint"
    _create(cur, "import_parts", [(p.part_id, p.file, p.table) for p in parts],
            [("part_id", i), ("file_name", s), ("tbl", s)])
    _create(cur, "import_rows", [], [("part_id", i), ("row_no", n)])
    _create(cur, "import_row_keys", [], [("part_id", i), ("row_no", n), ("row_key", s)])
    for p in parts:
        cur.register(p.view, p.cells)
        cur.execute(f"insert into import_rows select $part, row_no from {p.view}", {"part": p.part_id})
        key = contract.TABLES[p.table].key
        if set(key) <= set(p.cells.column_names):
            filled = " and ".join(f'"{k}" is not null' for k in key)
            cur.execute(f"insert into import_row_keys select $part, row_no, {_key_sql(p.table, p.view)} "
                        f"from {p.view} where {filled}", {"part": p.part_id})


def _stage_known(cur, parts: list[Part]) -> None:
    """Stored keys of every table a column refers to, and every institution's kind."""
    targets = sorted({c.ref for t in contract.TABLES.values() for c in t.columns if c.ref})
    union = " union all ".join(
        f"select '{t}' as tbl, {c} as value from {t}" for t, c in (r.split(".") for r in targets)
    )
    cur.execute(f"create temp table import_known as {union}")
    _create(cur, "import_institution_kinds", [], [("inst_id", "varchar"), ("kind", "varchar")])
    for p in parts:
        if p.table == "institutions" and {"inst_id", "kind"} <= set(p.cells.column_names):
            cur.execute(f"insert into import_institution_kinds select inst_id, kind from {p.view} "
                        "where inst_id is not null")
    cur.execute(db.sql("import/institution_kinds"))


def _key_sql(table: str, alias: str) -> str:
    """A row's key as text, the form of import_row_keys and audit_log.row_key."""
    cols = [f'cast({alias}."{k}" as varchar)' for k in contract.TABLES[table].key]
    return cols[0] if len(cols) == 1 else f"concat_ws('|', {', '.join(cols)})"


def _stage_owner_cells(cur, parts: list[Part]) -> None:
    """The owner cells of every row of an institution-owned table, and of the stored row
    with the same key (stored = true), for the scope check."""
    _create(cur, "import_owner_cells", [], [("part_id", "integer"), ("row_no", "bigint"), ("col", "varchar"),
                                            ("via", "varchar"), ("value", "varchar"), ("stored", "boolean")])
    for p in parts:
        for table, col, via in OWNER_COLUMNS:
            if table != p.table:
                continue
            params = {"part": p.part_id, "col": col, "via": via}
            if col in p.cells.column_names:
                _focus(cur, p, col)
                cur.execute("insert into import_owner_cells "
                            "select $part, row_no, $col, $via, value, false from import_column", params)
            cur.execute(f"insert into import_owner_cells select $part, k.row_no, $col, $via, "
                        f'cast(t."{col}" as varchar), true from {table} t '
                        f"join import_row_keys k on k.part_id = $part and k.row_key = {_key_sql(table, 't')}", params)


def _focus(cur, part: Part, col: str, other: str | None = None) -> None:
    """Point the view import_column (or import_pair, given `other`) at columns of a part."""
    if other is None:
        cur.execute(f'create or replace temp view import_column as select row_no, "{col}" as value from {part.view}')
    else:
        cur.execute(f'create or replace temp view import_pair as '
                    f'select row_no, "{col}" as value, "{other}" as other_value from {part.view}')


def _column_checks(table: str, column: contract.Column) -> list[tuple[str, dict]]:
    """The queries (with their parameters) that check one column of a file of `table`."""
    label = column.label.split("（")[0]
    checks = []
    if column.required and column.default is None:
        checks.append(("import/missing_values", {"label": label}))
    if column.kind == "list":
        checks.append(("import/list_issues", {"tbl": table, "col": column.name, "allowed_text": "、".join(column.values)}))
    elif column.kind not in ("text", "credit_code") or column.values:
        checks.append(("import/cell_issues", {
            "kind": column.kind, "label": label, "positive": (table, column.name) in POSITIVE,
            "tbl": table, "col": column.name, "allowed_text": "、".join(column.values),
        }))
    if column.ref:
        ref_table = column.ref.split(".")[0]
        checks.append(("import/reference_issues", {"ref_tbl": ref_table, "ref_label": contract.TABLES[ref_table].label}))
    if (table, column.name) in REF_KINDS:
        checks.append(("import/institution_kind_issues", {"tbl": table, "col": column.name}))
    return checks


def _column_issues(cur, part: Part) -> list[ImportIssue]:
    issues = []
    for column in contract.TABLES[part.table].columns:
        if column.name not in part.cells.column_names:
            continue
        _focus(cur, part, column.name)
        if column.kind == "credit_code":
            _stage_bad_codes(cur)
        checks = _column_checks(part.table, column)
        checks += [("import/credit_code_issues", {})] if column.kind == "credit_code" else []
        for name, params in checks:
            issues += [ImportIssue(part.file, row, column.name, value, message)
                       for row, value, message in cur.execute(db.sql(name), params).fetchall()]
    return issues


def _stage_bad_codes(cur) -> None:
    """The credit codes of import_column failing GB 32100-2015, checked once per distinct value."""
    values = [v for (v,) in cur.execute("select distinct value from import_column where value is not null").fetchall()]
    bad = [(v, m) for v in values if (m := credit_code_problem(v))]
    _create(cur, "import_bad_codes", bad, [("value", "varchar"), ("message", "varchar")])


def _order_rules(table: str) -> list[tuple[str, str, str, str]]:
    """(column, other column, relation, message) for the rows of `table` (see order_issues.sql)."""
    rules = [
        (later, earlier, "after" if (t, later) in STRICT_DATE_RULES else "not_before",
         STRICT_DATE_RULES.get((t, later), message))
        for t, later, earlier, message in contract.DATE_RULES if t == table
    ]
    return rules + [(col, other, relation, message) for t, col, other, relation, message in ORDER_RULES if t == table]


def _pair_issues(cur, part: Part) -> list[ImportIssue]:
    issues = []
    for col, other, relation, message in _order_rules(part.table):
        if {col, other} <= set(part.cells.column_names):
            _focus(cur, part, col, other)
            rows = cur.execute(db.sql("import/order_issues"),
                               {"relation": relation, "message": message, "other": other}).fetchall()
            issues += [ImportIssue(part.file, row, col, value, text) for row, value, text in rows]
    return issues


def _sorted(issues: list[ImportIssue], parts: list[Part]) -> list[ImportIssue]:
    order = {p.file: p.part_id for p in parts}
    position = {(p.file, c.name): n for p in parts for n, c in enumerate(contract.TABLES[p.table].columns)}
    return sorted(issues, key=lambda e: (order.get(e.file, 0), e.file, e.row or 0,
                                         position.get((e.file, e.column), -1), e.message))


# --- writing -------------------------------------------------------------------------------

def _typed_select(part: Part) -> str:
    """The part's text cells cast to the table's column types, defaults filled in."""
    present = set(part.cells.column_names)
    exprs = []
    for c in contract.TABLES[part.table].columns:
        value = f'"{c.name}"' if c.name in present else "null"
        if c.default is not None:
            value = f"coalesce({value}, '{c.default}')"
        exprs.append(f'{TYPED_SQL[c.kind].format(v=value)} as "{c.name}"')
    return f"select {', '.join(exprs)} from {part.view}"


def _write_part(cur, part: Part, user: str, at: datetime) -> FileResult:
    """Insert, replace (with an audit row) or leave each row of a validated part."""
    table, key = part.table, contract.TABLES[part.table].key
    cur.execute(f"create temp table import_new as {_typed_select(part)}")  # the table's own column types
    cur.execute("create temp table import_changes as " + db.sql("import/classify_rows").format(
        table=table, row_key=_key_sql(table, "n"), first_key=f'"{key[0]}"',
        same_key=" and ".join(f't."{k}" = n."{k}"' for k in key),
    ))
    counts = dict(cur.execute("select change, count(*) from import_changes group by change").fetchall())
    result = FileResult(part.file, table, part.sha256, part.cells.num_rows,
                        counts.get("inserted", 0), counts.get("replaced", 0), counts.get("unchanged", 0))
    (file_id,) = cur.execute(db.sql("import/record_file"), {
        "file_name": part.source, "table": table, "sha256": part.sha256, "total": result.rows,
        "inserted": result.inserted, "replaced": result.replaced, "unchanged": result.unchanged,
        "user": user, "at": at,
    }).fetchall()[0]
    cur.execute(db.sql("import/record_replacements"), {"file_id": file_id, "table": table, "user": user, "at": at})
    if result.replaced:
        cur.execute(f"delete from {table} where {_key_sql(table, table)} in "
                    "(select row_key from import_changes where change = 'replaced')")
    if result.unchanged == 0:
        cur.execute(f"insert into {table} select * from import_new")
    elif result.inserted or result.replaced:
        cur.execute(f"insert into {table} select n.* from import_new n where {_key_sql(table, 'n')} in "
                    "(select row_key from import_changes where change <> 'unchanged')")
    cur.execute("drop table import_new")
    cur.execute("drop table import_changes")
    return result


# --- entry points ----------------------------------------------------------------------------

def _private_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A connection of its own: staging tables and the transaction stay private to one import."""
    cur = con.cursor()
    cur.execute("set enable_progress_bar = false")  # a long import must not draw on the terminal
    return cur


def import_files(con: duckdb.DuckDBPyConnection, paths: Iterable, user: str = "cli",
                 inst_id: str | None = None) -> ImportReport:
    """Check `paths` (CSV/XLSX paths, or (name, bytes) pairs from an upload) together and,
    when every row of every file is clean, write them all in one transaction.

    With `inst_id` (an institution user) only that institution's own rows are accepted
    and the regulator's tables are refused. On any error nothing is written.
    """
    parts, issues = read_sources(paths)
    issues += _scope_refusals(parts, inst_id)
    parts.sort(key=lambda p: (contract.ORDER.index(p.table), p.part_id))
    results = [FileResult(p.file, p.table, p.sha256, p.cells.num_rows) for p in parts]
    cur = _private_cursor(con)
    try:
        cur.execute("begin transaction")
        issues += _validate(cur, parts, inst_id)
        if issues:
            cur.execute("rollback")
            return ImportReport(_sorted(issues, parts), results)
        at = datetime.now()
        results = [_write_part(cur, p, user, at) for p in parts]
        if any(r.inserted or r.replaced for r in results):
            db.bump_data_version(cur)
        if any(r.table == "holidays" and (r.inserted or r.replaced) for r in results):
            calendar.refresh(cur)  # inside the transaction: holidays and calendar change together
        audit.seal(cur, audit.IMPORTS)  # the replaced rows join the hash chain in the same transaction
        cur.execute("commit")
    except duckdb.Error as error:
        with suppress(duckdb.TransactionException):  # a failed commit has rolled back already
            cur.execute("rollback")
        return ImportReport([ImportIssue("（全部文件）", None, None, None, f"写入数据库失败，已全部撤销：{error}")], results)
    finally:
        cur.close()
    return ImportReport([], results)


def validate_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame,
                   file_name: str) -> list[ImportIssue]:
    """The issues the importer would report for `frame` (text cells, columns named as in
    the contract) as a file of `table`, checked against the database; nothing is written."""
    header = [str(c) for c in frame.columns]
    raw = pa.table({f"c{i}": pa.Array.from_pandas(frame.iloc[:, i].astype(object)).cast(pa.string())
                    for i in range(len(header))})
    parts, issues = _part(file_name, file_name, table, "", header, raw)
    for i, part in enumerate(parts, start=1):
        part.part_id = i
    cur = _private_cursor(con)
    try:
        cur.execute("begin transaction")
        issues += _validate(cur, parts, None)
        cur.execute("rollback")
    finally:
        cur.close()
    return _sorted(issues, parts)
