"""Where queries run: the small interface an execution engine implements, and DuckDB's.

The query layer (`scoring.engine`) resolves a named query and its staging views into one
SQL text and its bound parameters; a backend only runs texts. Four things are asked of
an engine, so that another one (Spark: `spark.sql(text, args=params)`, temp views with
`localCheckpoint`, `toArrow`) can stand in for DuckDB without the scoring code noticing:

- `arrow`       run a query with bound parameters, the result as an Arrow table;
- `batches`     the same result streamed as Arrow record batches (row-level outputs of
                millions of rows are written batch by batch, never held whole);
- `materialise` keep a query's result as a named temp table of this session;
- `register`    make a frame or Arrow table readable under a name (and `unregister`);
- `isolated`    a session of its own, whose temp tables no other session sees.

`execute` runs a statement (a write or DDL); run storage, publication, import and the
calendar rebuild stay on DuckDB.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd
import pyarrow as pa

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# `arrow` reads results through the DB-API on purpose (see there); the warning would fill the logs
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)


class Backend(Protocol):
    catalog: Path  # the directory of this engine's `.sql` files (queries/ for DuckDB)

    def arrow(self, text: str, params: dict) -> pa.Table: ...

    def batches(self, text: str, params: dict, rows: int) -> pa.RecordBatchReader: ...

    def execute(self, text: str, params: dict) -> None: ...

    def materialise(self, table: str, text: str, params: dict) -> None: ...

    def register(self, name: str, frame: pd.DataFrame | pa.Table) -> None: ...

    def unregister(self, name: str) -> None: ...

    def isolated(self) -> Backend: ...

    def close(self) -> None: ...


def table_name(name: str) -> str:
    """`name` if it is a plain SQL identifier (temp tables are named in SQL text, not bound)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"表名不合法：{name!r}")
    return name


BOOKS = "shared_books"  # the in-memory database of the books shared between sessions (`keep_book`)
# Text identifiers with a value (nearly) per row. DuckDB's default string compression (dictionary
# with FSST) analyses such a column at length for nothing: writing the judged stages kept per day
# took 1.42 s at a million loans, 1.13 s with these as ZSTD, at half the size (68 → 33 MB), and
# reading them back costs the same. Few-valued codes (inst_id, district_code, status) keep the default.
ROW_KEYS = frozenset({"app_id", "ent_id", "loan_id", "payment_id", "project_id", "policy_id"})


def _as_hugeint(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A DECIMAL(38, 0) column as DuckDB's Arrow type for HUGEINT, which DuckDB reads back as HUGEINT: both
    hold each value as a 16-byte little-endian integer, so the buffers are the same."""
    kind = pa.opaque(pa.binary(16), "hugeint", "DuckDB")
    return pa.chunked_array([pa.ExtensionArray.from_storage(kind, pa.Array.from_buffers(
        pa.binary(16), len(chunk), chunk.buffers()[:2], null_count=chunk.null_count, offset=chunk.offset))
        for chunk in column.chunks], kind)


def _qualified(table: str) -> str:
    """`table` of the database (`main.table`), or `catalog.schema.table` of one attached, each part checked."""
    return ".".join(table_name(part) for part in table.split(".")) if "." in table else f"main.{table_name(table)}"


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class DuckDBBackend:
    """The embedded default: a DuckDB connection (or cursor) of the caller's, or one of its own."""

    catalog = Path(__file__).resolve().parents[2] / "queries"

    def __init__(self, con: duckdb.DuckDBPyConnection, *, owned: bool = False):
        self.con = con
        self._owned = owned  # an isolated session's cursor, closed with the session

    def arrow(self, text: str, params: dict) -> pa.Table:
        # a DB-API execute, not `con.sql`: the relation API finds a text's parameter markers with a
        # tokenizer written in Python, 3–15 ms for a query with its staging views inline (10–20 KB),
        # on every one of the hundred queries of a race. Its "extra copy" measured nothing (3.8 M
        # rows: 0.17–0.24 s either way), and it also replaces a result the caller left half read.
        return self.con.execute(text, params or None).to_arrow_table()

    def batches(self, text: str, params: dict, rows: int) -> pa.RecordBatchReader:
        return self.con.sql(text, params=params or None).to_arrow_reader(rows)

    def kept(self, text: str, params: dict) -> pa.Table:
        """The result as Arrow to be registered again later (`Session.provide`) with DuckDB's own types:
        a HUGEINT, which Arrow carries as DECIMAL(38, 0) (on which `//` is not integer division), goes as
        DuckDB's own Arrow type for it. Not with `arrow_lossless_conversion`: that setting is global, and
        every other thread's results came back with it while this one ran (a page's sums as raw bytes)."""
        columns = self.con.execute(f"describe\n{text}", params or None).fetchall()
        table = self.arrow(text, params)
        for i, (_, kind, *_) in enumerate(columns):
            if kind == "HUGEINT":
                table = table.set_column(i, table.field(i).name, _as_hugeint(table.column(i)))
        return table

    def execute(self, text: str, params: dict) -> None:
        # fetched to the end: DuckDB 2 refuses other work on a connection with an unfinished result
        self.con.execute(text, params or None).fetchall()

    def materialise(self, table: str, text: str, params: dict) -> None:
        self.con.execute(f"create or replace temp table {table_name(table)} as\n{text}", params or None)

    def store(self, table: str, text: str, params: dict) -> None:
        """Keep a query's result as a table of the database itself (`scoring.shared.stored`), its row
        identifiers (ROW_KEYS) compressed with ZSTD; or, named `shared_books.main.<table>`, as a table of
        the in-memory database beside it, until it is written to the file (`scoring.shared.books`)."""
        target = _qualified(table)
        if target.startswith(f"{BOOKS}."):
            self._attach_books()
        columns = self.con.execute(f"describe\n{text}", params or None).fetchall()
        definitions = ", ".join(
            _quoted(name) + f" {kind}" + (" using compression zstd" if name in ROW_KEYS and kind == "VARCHAR" else "")
            for name, kind, *_ in columns)
        self.con.execute(f"create or replace table {target} ({definitions})")
        self.con.execute(f"insert into {target}\n{text}", params or None)

    def store_copy(self, table: str, source: str) -> None:
        """Keep a copy of the table `source` (a result held in the in-memory database) as the table `table`
        of the database, as `store` keeps a query's result."""
        self.store(table, f"select * from {_qualified(source)}", {})

    def drop(self, table: str) -> None:
        self.con.execute(f"drop table if exists {_qualified(table)}")

    def rename(self, table: str, to: str) -> None:
        """Give the database's table `table` the name `to` (in a transaction, several appear at once)."""
        self.con.execute(f"alter table {_qualified(table)} rename to {table_name(to)}")

    def add_primary_key(self, table: str, columns: tuple[str, ...]) -> None:
        keys = ", ".join(table_name(column) for column in columns)
        self.con.execute(f"alter table main.{table_name(table)} add primary key ({keys})")

    def alias(self, view: str, table: str) -> None:
        """Read the table `table` (of the database, or `catalog.table` of another one attached) under
        the name `view` in this session."""
        self.con.execute(f"create or replace temp view {table_name(view)} as select * from {_qualified(table)}")

    def keep_book(self, table: str, text: str, params: dict) -> tuple[str, bool]:
        """A book shared by the sessions of the process (`scoring.shared.books`) as the table `table` of
        an in-memory database beside the file, built unless it is there: its qualified name, and whether
        it was built now. Every cursor of the connection sees that database; it is gone with the process."""
        self._attach_books()
        qualified = f"{BOOKS}.main.{table_name(table)}"
        if self.has_table(qualified):
            return qualified, False
        self.con.execute(f"create table {qualified} as\n{text}", params or None)
        return qualified, True

    def has_table(self, table: str) -> bool:
        """Whether the database holds the table `table` (a name lookup: listing the catalog took 25 ms a time)."""
        try:
            self.con.execute(f"select 1 from {_qualified(table)} limit 0").fetchall()
            return True
        except duckdb.CatalogException:
            return False

    def _attach_books(self) -> None:
        self.con.execute(f"attach if not exists ':memory:' as {BOOKS} (read_only false)")

    def drop_book(self, table: str) -> None:
        self.con.execute(f"drop table if exists {BOOKS}.main.{table_name(table)}")

    def drop_temp(self, name: str, kind: str) -> None:
        """Drop this session's temp table or view (`kind`) `name`, to put the other kind in its place."""
        if kind not in ("table", "view"):
            raise ValueError(kind)
        self.con.execute(f"drop {kind} if exists temp.main.{table_name(name)}")

    def register(self, name: str, frame: pd.DataFrame | pa.Table) -> None:
        self.con.register(table_name(name), frame)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    def isolated(self) -> DuckDBBackend:
        # a cursor is a connection of its own to the same database: its temp tables are private
        return DuckDBBackend(self.con.cursor(), owned=True)

    def close(self) -> None:
        if self._owned:
            self.con.close()
