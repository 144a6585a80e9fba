"""The importer's writes to the reported tables as files: `queries/import/write/<table>/`.

DML cannot take its target table as a bound parameter, so each table has its own four
statements, generated from `scoring.contract` (its columns, their kinds and defaults, its
key) and committed, so a reviewer reads exactly what an import runs:

- `new_rows`: the part's text cells (`import_incoming`, every contract column) cast to the
  table's types, defaults filled in, as the temp table `import_new`;
- `delete_replaced`: the stored rows a part replaces;
- `insert_all`: every new row, when none is unchanged (no key to compare);
- `insert_changed`: the inserted and replacing rows.

`python -m scoring.importing.dml` writes them; `tests/test_import_dml.py` fails when a file
and the contract disagree. This module runs no SQL: it is build time, like
`scoring.spark_sql`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scoring import contract
from scoring.db import QUERIES

COMMAND = "python -m scoring.importing.dml"
FOLDER = "import/write"  # under queries/; DuckDB-only, as all of import/ (scoring.spark_backend.DUCKDB_ONLY_DIRS)
HEADER = f"-- Generated from scoring/contract.py by `{COMMAND}`. Do not edit.\n"

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
CHANGED_KEYS = "(select row_key from import_changes where change {test})"
STATEMENTS = {
    "new_rows": ("The part's cells (import_incoming: text, every column of the table; a column the file\n"
                 "-- leaves out is empty) cast to the types of {table}, defaults filled in.",
                 "create temp table import_new as\nselect\n{columns}\nfrom import_incoming"),
    "delete_replaced": ("The stored rows of {table} that the part replaces (import_changes).",
                        "delete from {table}\nwhere {stored_key} in " + CHANGED_KEYS.format(test="= 'replaced'")),
    "insert_all": ("Every row of the part into {table}: none is unchanged, so no key is compared.",
                   "insert into {table}\nselect * from import_new"),
    "insert_changed": ("The part's inserted and replacing rows into {table}; unchanged rows stay as they are.",
                       "insert into {table}\nselect n.* from import_new n\nwhere {new_key} in "
                       + CHANGED_KEYS.format(test="<> 'unchanged'")),
}


def key_sql(table: str, alias: str) -> str:
    """A row's key as text, the form of import_row_keys and audit_log.row_key."""
    cols = [f'cast({alias}."{k}" as varchar)' for k in contract.TABLES[table].key]
    return cols[0] if len(cols) == 1 else f"concat_ws('|', {', '.join(cols)})"


def _typed(column: contract.Column) -> str:
    value = f'"{column.name}"'
    if column.default is not None:
        value = f"coalesce({value}, '{column.default}')"
    return f'    {TYPED_SQL[column.kind].format(v=value)} as "{column.name}"'


def files(queries: Path) -> dict[Path, str]:
    """Every generated file under `queries` and its text."""
    found = {}
    for table, spec in contract.TABLES.items():
        fields = {"table": table, "columns": ",\n".join(_typed(c) for c in spec.columns),
                  "stored_key": key_sql(table, table), "new_key": key_sql(table, "n")}
        for name, (comment, statement) in STATEMENTS.items():
            text = f"{HEADER}-- {comment.format(**fields)}\n{statement.format(**fields)}\n"
            found[queries / FOLDER / table / f"{name}.sql"] = text
    return found


def stale(queries: Path) -> list[str]:
    """The generated files that are missing, differ from the contract, or are left over."""
    expected = files(queries)
    present = set((queries / FOLDER).rglob("*.sql"))
    differ = {path for path in present & expected.keys() if path.read_text(encoding="utf-8") != expected[path]}
    return sorted(str(path.relative_to(queries)) for path in (present ^ expected.keys()) | differ)


def write(queries: Path) -> int:
    """(Re)write every generated file, remove left-over ones; the number of files written."""
    expected = files(queries)
    for path in set((queries / FOLDER).rglob("*.sql")) - expected.keys():
        path.unlink()
    for path, text in expected.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(expected)


def main() -> None:
    print(f"{write(QUERIES)} files written to queries/{FOLDER}/", file=sys.stderr)


if __name__ == "__main__":
    main()
