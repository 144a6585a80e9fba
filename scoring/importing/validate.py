"""Validating parts (DATA.md "What bad input gets"): every issue, found set-based.

First each part is normalised by the documented rules (README "导入时的规范化"):
- identifiers (keys and references) and every cell that is not free text are put in
  Unicode NFKC form (full-width `ＬＮ０１` → `LN01`) with invisible format characters
  (zero-width space, BOM, soft hyphen …) removed; identifiers are also upper-cased, so
  `ln000005`, `ＬN000005` and `LN000005` + U+200B are one loan;
- a number with more decimals than its kind allows (money 2, rate 6) is taken as the
  rounded value when it lies within binary float noise of it (4 units in the last
  place: Excel's 0.038500000000000006 is 3.85 %); otherwise it is refused.
Then every cell of every part is checked against its own column's checks in one query
over the view `import_cells` (part_id, row_no, column_id, value: one row per cell; a query
per column cost more than the checking itself on everyday files), and each pair of
related columns of a part through `import_pair`; what spans rows or files (keys,
references, ownership, a payment's loan) goes through small staging tables. The queries
live under `queries/import/`.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pyarrow as pa
import pyarrow.compute as pc

from scoring import calendar, contract, db, engine
from scoring.creditcode import problem as credit_code_problem
from scoring.importing.read import BLANKS, Part
from scoring.importing.report import ImportIssue

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
    ("guarantees", "fee_paid", "guaranteed_amount", "not_above", "实收担保费超过担保金额"),
    ("insurance_policies", "premium", "insured_amount", "not_above", "年度保费超过保险金额"),
)
STRICT_DATE_RULES = {("loans", "maturity_on"): "到期日期应晚于签约日期"}  # schema: maturity_on > signed_on

# Plausibility bounds (README): what the engines can hold with room to spare. A row
# within them cannot overflow the subsidy arithmetic (integer fen × micro-rates in
# hugeint, tests/test_import_hostile.py), and a date outside them is a typing mistake.
MAX_AMOUNT, MAX_AMOUNT_TEXT = Decimal(10) ** 13, "10 万亿元"  # yuan, any money column
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
CALENDAR_DATES = {  # judged on the working-day calendar (R9–R11), which covers calendar.FIRST_DAY…LAST_DAY
    *(("applications", c) for c in ("registered_on", "connected_on", "decided_on", "disbursed_on")),
    ("holidays", "day"),
}
PLACES = {"money": 2, "rate": 6}
NOISE_ULPS = 4  # how far from the rounded value binary float noise may reach
COLUMN_IDS = {(t.name, name): n for n, (t, name) in enumerate((t, name) for t in contract.TABLES.values()
                                                               for name in t.names)}
"""Every contract column by a small number: import_cells and import_columns (column_issues.sql) join on it."""


# --- normalisation ------------------------------------------------------------------

def is_identifier(table: str, column: contract.Column) -> bool:
    """Keys and references: the cells that name a row."""
    return column.kind == "credit_code" or (column.kind == "text" and (
        column.ref is not None or column.name in contract.TABLES[table].key))


def normalise(part: Part) -> None:
    """Apply the documented normalisation to the part's cells (in place)."""
    columns = {}
    for column in contract.TABLES[part.table].columns:
        if column.name not in part.cells.column_names:
            continue
        cells = part.cells.column(column.name)
        if is_identifier(part.table, column):
            cells = pc.utf8_upper(_plain(cells))
        elif column.kind != "text" or column.values:
            cells = _plain(cells)
        if column.kind in PLACES:
            cells = _denoised(cells, PLACES[column.kind])
        columns[column.name] = cells
    for name, cells in columns.items():
        part.cells = part.cells.set_column(part.cells.column_names.index(name), name, cells)


def _plain(cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """NFKC, without invisible format characters, trimmed; empty → missing."""
    text = pc.replace_substring_regex(pc.utf8_normalize(cells, form="NFKC"), pattern=r"\p{Cf}", replacement="")
    text = pc.utf8_trim(text, characters=BLANKS)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _denoised(cells: pa.ChunkedArray, places: int) -> pa.ChunkedArray:
    """Numbers with too many decimals replaced by their rounding when only float noise differs."""
    long = pc.fill_null(pc.match_substring_regex(cells, rf"^-?[0-9]+\.[0-9]{{{places + 1},}}$"), False)
    if not pc.any(long).as_py():
        return cells
    values = cells.to_pylist()
    for i in pc.indices_nonzero(long).to_pylist():
        values[i] = denoised(values[i], places)
    return pa.chunked_array([pa.array(values, pa.string())])


def denoised(text: str, places: int) -> str:
    """`text` rounded to `places` decimals when the two are the same number up to binary noise."""
    rounded = Decimal(text).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    value = float(text)
    return format(rounded, "f") if abs(float(rounded) - value) <= NOISE_ULPS * math.ulp(value) else text


# --- the checks ---------------------------------------------------------------------

def validate(cur, parts: list[Part], inst_id: str | None) -> list[ImportIssue]:
    """Every issue of the parts, found set-based (the parts stay registered for writing)."""
    for part in parts:
        normalise(part)
    _stage_contract(cur)
    _stage_parts(cur, parts)
    _stage_known(cur, parts)
    found = _spanning_issues(cur, parts, "import/duplicate_keys")
    found += _cell_issues(cur, parts)
    for part in parts:
        found += _pair_issues(cur, part)
    if inst_id is not None:
        _stage_owner_cells(cur, parts)
        found += _spanning_issues(cur, parts, "import/scope_issues", {"inst": inst_id})
    return found


def scope_refusals(parts: list[Part], inst_id: str | None) -> list[ImportIssue]:
    """Whole files an institution user may not import at all."""
    if inst_id is None:
        return []
    return [
        ImportIssue(p.file, None, None, None,
                    f"机构用户不能导入“{contract.TABLES[p.table].label}”表（{p.table}）：该表只能由监管部门导入")
        for p in parts if p.table in REGULATOR_ONLY
    ]


def _spanning_issues(cur, parts: list[Part], query: str, params: dict | None = None) -> list[ImportIssue]:
    """The issues of a query over all parts at once (rows: part_id, row, column, value, message)."""
    files = {p.part_id: p.file for p in parts}
    return [ImportIssue(files[part_id], row, col, value, message)
            for part_id, row, col, value, message in cur.execute(db.sql(query), params).fetchall()]


def create(cur, name: str, rows: list[tuple] = ()) -> None:
    """The temp table `name` (declared in `queries/import/temp/<name>.sql`) holding `rows`, in
    its column order. The rows go in through Arrow, not through SQL text."""
    engine.execute(cur, f"import/temp/{name}")
    if rows:
        columns = list(zip(*rows))
        cur.from_arrow(pa.table({f"c{i}": pa.array(list(v)) for i, v in enumerate(columns)})).insert_into(name)


def _stage_contract(cur) -> None:
    """What the checks join to: tables, allowed values, institution roles, ownership."""
    create(cur, "import_columns", [_column_row(t, c) for t in contract.TABLES.values() for c in t.columns])
    owner_tables = [t for t, _, _ in OWNER_COLUMNS]
    create(cur, "import_owner_columns", [
        (t, c, via, owner_tables[:n].count(t) + 1)  # position among the table's owner columns, from 1
        for n, (t, c, via) in enumerate(OWNER_COLUMNS)
    ])


def _stage_parts(cur, parts: list[Part]) -> None:
    """Register every part as import_part_<id>; list their rows and row keys."""
    create(cur, "import_parts", [(p.part_id, p.file, p.table) for p in parts])
    create(cur, "import_rows")
    create(cur, "import_row_keys")
    for p in parts:
        cur.register(p.view, p.cells)
        key = list(contract.TABLES[p.table].key)
        cur.execute(db.sql("import/stage_rows"), {"part": p.part_id, "view": p.view})
        if set(key) <= set(p.cells.column_names):
            cur.execute(db.sql("import/stage_row_keys"), {"part": p.part_id, "view": p.view, "key": key})


def _stage_known(cur, parts: list[Part]) -> None:
    """Stored keys of every table a column refers to, every institution's kind, every
    loan's amount: as stored, unless a file of this call redefines them."""
    cur.execute(db.sql("import/known_keys"))
    create(cur, "import_institution_kinds")
    create(cur, "import_loan_amounts")
    for p in parts:
        if p.table == "institutions" and {"inst_id", "kind"} <= set(p.cells.column_names):
            cur.execute(db.sql("import/stage_institution_kinds"), {"view": p.view})
        if p.table == "loans" and {"loan_id", "amount"} <= set(p.cells.column_names):
            cur.execute(db.sql("import/stage_loan_amounts"), {"view": p.view})
    cur.execute(db.sql("import/institution_kinds"))
    cur.execute(db.sql("import/loan_amounts"))


def _stage_owner_cells(cur, parts: list[Part]) -> None:
    """The owner cells of every row of an institution-owned table, and of the stored row
    with the same key (stored = true), for the scope check."""
    create(cur, "import_owner_cells")
    for p in parts:
        for table, col, via in OWNER_COLUMNS:
            if table != p.table:
                continue
            params = {"part": p.part_id, "col": col, "via": via}
            if col in p.cells.column_names:
                _focus(cur, p, col)
                cur.execute(db.sql("import/stage_owner_cells"), params)
            cur.execute(db.sql("import/stage_stored_owner_cells"),
                        {**params, "table": table, "key": list(contract.TABLES[table].key)})


def _focus(cur, part: Part, col: str, other: str | None = None) -> None:
    """Point import_column (row_no, value), or import_pair (row_no, value, other_value) given
    `other`, at columns of a part: an Arrow projection of its cells, registered under that name."""
    names, columns = (["row_no", "value"], ["row_no", col]) if other is None else (
        ["row_no", "value", "other_value"], ["row_no", col, other])
    cur.register("import_pair" if other else "import_column", part.cells.select(columns).rename_columns(names))


def _column_row(table: contract.Table, column: contract.Column) -> tuple:
    """One column's row of import_columns: its key place and what its cells are checked for."""
    if column.kind == "list":
        family = "list"
    elif column.kind not in ("text", "credit_code") or column.values:
        family = "cell"
    elif column.kind == "text":
        family = "identifier" if is_identifier(table.name, column) else "control"
    else:
        family = None  # credit codes: checked in Python (import_bad_codes)
    first_day, last_day = ((calendar.FIRST_DAY, calendar.LAST_DAY) if (table.name, column.name) in CALENDAR_DATES
                           else (FIRST_DAY, LAST_DAY))
    ref_table = column.ref.split(".")[0] if column.ref else None
    roles = list(REF_KINDS.get((table.name, column.name), ()))
    return (COLUMN_IDS[table.name, column.name], table.name, column.name,
            table.key.index(column.name) + 1 if column.name in table.key else None,
            column.label.split("（")[0], column.required and column.default is None, family, column.kind,
            (table.name, column.name) in POSITIVE, list(column.values), "、".join(column.values), first_day, last_day,
            ref_table, contract.TABLES[ref_table].label if ref_table else None,
            roles or None, " 或 ".join(sorted(roles)) or None)


def _cell_issues(cur, parts: list[Part]) -> list[ImportIssue]:
    """The issues of every cell of every part, each against its own column's checks, in one query."""
    _stage_bad_codes(cur, parts)
    cur.register("import_cells", _long_cells(parts))
    return _spanning_issues(cur, parts, "import/column_issues",
                            {"max_amount": MAX_AMOUNT, "max_amount_text": MAX_AMOUNT_TEXT})


def _long_cells(parts: list[Part]) -> pa.Table:
    """The cells of the parts' contract columns one per row (part_id, row_no, column_id, value): the
    columns' own chunks one after another, not copied; only the ids are new (6 bytes a cell)."""
    columns = [(part, COLUMN_IDS[part.table, name], name)
               for part in parts for name in contract.TABLES[part.table].names if name in part.cells.column_names]
    return pa.table({
        "part_id": pa.chunked_array([pa.repeat(pa.scalar(p.part_id, pa.int32()), p.cells.num_rows)
                                     for p, _, _ in columns], pa.int32()),
        "row_no": pa.chunked_array([chunk for p, _, _ in columns for chunk in p.cells.column("row_no").chunks],
                                   pa.int64()),
        "column_id": pa.chunked_array([pa.repeat(pa.scalar(n, pa.int16()), p.cells.num_rows) for p, n, _ in columns],
                                     pa.int16()),
        "value": pa.chunked_array([chunk for p, _, name in columns for chunk in p.cells.column(name).chunks],
                                  pa.string()),
    })


def _stage_bad_codes(cur, parts: list[Part]) -> None:
    """The credit codes of every part failing GB 32100-2015, checked once per distinct value."""
    values = {value for part in parts for c in contract.TABLES[part.table].columns
              if c.kind == "credit_code" and c.name in part.cells.column_names
              for value in pc.unique(part.cells.column(c.name)).to_pylist()} - {None}
    create(cur, "import_bad_codes", [(v, m) for v in sorted(values) if (m := credit_code_problem(v))])


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
    present = set(part.cells.column_names)
    for col, other, relation, message in _order_rules(part.table):
        if {col, other} <= present:
            _focus(cur, part, col, other)
            rows = cur.execute(db.sql("import/order_issues"),
                               {"relation": relation, "message": message, "other": other}).fetchall()
            issues += [ImportIssue(part.file, row, col, value, text) for row, value, text in rows]
    if part.table == "interest_payments" and {"interest_paid", "loan_id"} <= present:
        _focus(cur, part, "interest_paid", "loan_id")
        issues += [ImportIssue(part.file, row, "interest_paid", value, text)
                   for row, value, text in cur.execute(db.sql("import/interest_above_loan")).fetchall()]
    return issues


def sorted_issues(issues: list[ImportIssue], parts: list[Part]) -> list[ImportIssue]:
    order = {p.file: p.part_id for p in parts}
    position = {(p.file, c.name): n for p in parts for n, c in enumerate(contract.TABLES[p.table].columns)}
    return sorted(issues, key=lambda e: (order.get(e.file, 0), e.file, e.row or 0,
                                         position.get((e.file, e.column), -1), e.message))
