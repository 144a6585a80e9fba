"""Writing validated parts: each row is inserted, replaced (old and new to `audit_log`)
or left unchanged (DATA.md: idempotent import). Replacement is of the whole row: a
column the file leaves out takes its default (or stays empty) in the replaced row.

Every statement is a file in `queries/import/`; those that name the target table (SQL
cannot bind a table name in DML) are generated per table from the contract into
`queries/import/write/<table>/` (`scoring.importing.dml`).
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from scoring import contract, db
from scoring.importing.dml import FOLDER
from scoring.importing.read import Part
from scoring.importing.report import FileResult


def incoming(part: Part) -> pa.Table:
    """The part's text cells with every column of its table, a column the file leaves out empty."""
    cells = part.cells
    for name in contract.TABLES[part.table].names:
        if name not in cells.column_names:
            cells = cells.append_column(name, pa.nulls(cells.num_rows, pa.string()))
    return cells


def write_part(cur, part: Part, user: str, at: datetime) -> FileResult:
    """Insert, replace (with an audit row) or leave each row of a validated part."""
    table, key = part.table, contract.TABLES[part.table].key
    statements = f"{FOLDER}/{table}"
    cur.register("import_incoming", incoming(part))
    cur.execute(db.sql(f"{statements}/new_rows"))  # the table's own column types
    cur.unregister("import_incoming")
    cur.execute(db.sql("import/classify_rows"), {"table": table, "key": list(key)})
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
        cur.execute(db.sql(f"{statements}/delete_replaced"))
    if result.unchanged == 0:
        cur.execute(db.sql(f"{statements}/insert_all"))
    elif result.inserted or result.replaced:
        cur.execute(db.sql(f"{statements}/insert_changed"))
    cur.execute(db.sql("import/drop_part_tables"))
    return result
