"""Writing validated parts: each row is inserted, replaced (old and new to `audit_log`)
or left unchanged (DATA.md: idempotent import). Replacement is of the whole row: a
column the file leaves out takes its default (or stays empty) in the replaced row.

The statements that name the target table are built here from the contract, since SQL
cannot bind a table name in DML; every other statement is a file in `queries/import/`.
"""

from __future__ import annotations

from datetime import datetime

from scoring import contract, db
from scoring.importing.read import Part
from scoring.importing.report import FileResult
from scoring.importing.validate import key_sql

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


def typed_select(part: Part) -> str:
    """The part's text cells cast to the table's column types, defaults filled in."""
    present = set(part.cells.column_names)
    exprs = []
    for c in contract.TABLES[part.table].columns:
        value = f'"{c.name}"' if c.name in present else "null"
        if c.default is not None:
            value = f"coalesce({value}, '{c.default}')"
        exprs.append(f'{TYPED_SQL[c.kind].format(v=value)} as "{c.name}"')
    return f"select {', '.join(exprs)} from {part.view}"


def write_part(cur, part: Part, user: str, at: datetime) -> FileResult:
    """Insert, replace (with an audit row) or leave each row of a validated part."""
    table, key = part.table, contract.TABLES[part.table].key
    cur.execute(f"create temp table import_new as {typed_select(part)}")  # the table's own column types
    cur.execute("create temp table import_changes as " + db.sql("import/classify_rows"), {"table": table, "key": list(key)})
    counts = dict(cur.execute(db.sql("import/change_counts")).fetchall())
    result = FileResult(part.file, table, part.sha256, part.cells.num_rows,
                        counts.get("inserted", 0), counts.get("replaced", 0), counts.get("unchanged", 0))
    (file_id,) = cur.execute(db.sql("import/record_file"), {
        "file_name": part.source, "table": table, "sha256": part.sha256, "total": result.rows,
        "inserted": result.inserted, "replaced": result.replaced, "unchanged": result.unchanged,
        "user": user, "at": at,
    }).fetchall()[0]
    cur.execute(db.sql("import/record_replacements"), {"file_id": file_id, "table": table, "user": user, "at": at})
    cur.execute(db.sql("import/record_arrivals"), {"table": table, "at": at})
    if result.replaced:
        cur.execute(f"delete from {table} where {key_sql(table, table)} in "
                    "(select row_key from import_changes where change = 'replaced')")
    if result.unchanged == 0:
        cur.execute(f"insert into {table} select * from import_new")
    elif result.inserted or result.replaced:
        cur.execute(f"insert into {table} select n.* from import_new n where {key_sql(table, 'n')} in "
                    "(select row_key from import_changes where change <> 'unchanged')")
    cur.execute("drop table import_new")
    cur.execute("drop table import_changes")
    return result
