"""Spark SQL generated from `queries/` at build time: `python -m scoring.spark_sql`.

The DuckDB files in `queries/` are the source. Each read query is parsed with a pinned
SQLGlot (requirements-spark.txt) and written to `queries_spark/<same name>.sql` with the
rewrites that make Spark 4 (ANSI mode) give DuckDB's answers:

- `a / b` → `CAST(a AS DOUBLE) / b`: DuckDB divides in DOUBLE, Spark would keep DECIMAL
  and differ in the last digits (a score on a rounding boundary could flip);
- `hugeint` (INT128) → `DECIMAL(38, 0)`: Spark has no 128-bit integer;
- `a // b` → `CAST((a' - PMOD(a', b)) / b AS DECIMAL(38, 0))` with `a' = CAST(a AS
  DECIMAL(38, 0))`: DuckDB's floor division, exact, where Spark's `DIV` returns BIGINT and
  raises on overflow (the numerator minus its remainder divides exactly);
- `list_position(l, x)` → `NULLIF(ARRAY_POSITION(l, x), 0)` and `list_extract(l, i)` →
  `TRY_ELEMENT_AT(l, CAST(i AS INT))`: DuckDB gives NULL for a value not in the list and for
  an index past its end, Spark's ARRAY_POSITION gives 0 and ELEMENT_AT raises (ANSI);
- `string_agg(x, sep ORDER BY y)` → `LISTAGG(x, sep) WITHIN GROUP (ORDER BY y)` (SQLGlot);
- `$name` → `:name`: parameters stay bound (`spark.sql(text, args=...)`), never inlined;
- `year()`, `month()`, `extract`, `length()` and the ranking window functions →
  `CAST(... AS BIGINT)`: DuckDB returns BIGINT where Spark returns INT, and both engines
  must hand the scoring code the same types.

The generated files are committed, so a reviewer reads exactly what Spark runs;
`tests/test_spark_sql.py` fails when one is stale or when a DuckDB-only construct is left.
Write paths stay in DuckDB and are not transpiled: `schema/` (DDL) and `import/`
(validating and writing an upload).
"""

from __future__ import annotations

import re
import sys

import sqlglot
import sqlglot.errors
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from scoring.db import QUERIES as SOURCE
from scoring.engine import sql
from scoring.db import ROOT
from scoring.spark_backend import SPARK_QUERIES as TARGET
from scoring.spark_backend import read_queries

COMMAND = "python -m scoring.spark_sql"
HEADER = f"-- Generated from queries/{{name}}.sql by `{COMMAND}` (SQLGlot {sqlglot.__version__}). Do not edit.\n"
# Comment lines the query layer reads, kept verbatim (comments are otherwise dropped: the
# source file is the one to read, and SQLGlot would move them into block comments).
KEPT_COMMENTS = tuple(sql.KIND_HEADERS)  # a staging view's kind (scoring/engine/sql.py)

# Tokens that only DuckDB understands; none may survive in a generated file.
DUCKDB_ONLY = re.compile(
    r"(?<![:\w])\$\w+|//|::|\bhugeint\b|\bint128\b|\bstring_agg\b|\bqualify\b|\bdate_diff\b|\bdatediff\b"
    r"|\bquantile_cont\b|\bdayofweek\b|\blist_\w+|\bstruct_pack\b|\bread_csv\w*\b|\bread_parquet\b|\bunnest\b"
    r"|\bstrftime\b|\bepoch\b|\bDIV\b",
    re.IGNORECASE,
)
DECIMAL_38_0 = exp.DataType.build("DECIMAL(38, 0)")
DOUBLE = exp.DataType.build("DOUBLE")
BIGINT = exp.DataType.build("BIGINT")
# Functions that give BIGINT in DuckDB and INT in Spark.
BIGINT_IN_DUCKDB = (exp.Year, exp.Month, exp.Day, exp.DayOfMonth, exp.DayOfYear, exp.Quarter, exp.Week,
                    exp.Extract, exp.Length)
BIGINT_WINDOWS = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile)


def transpile(text: str) -> str:
    """One DuckDB query as Spark SQL, with the rewrites of the module docstring."""
    tree = sqlglot.parse_one(text, read="duckdb")
    tree = (tree.transform(_double_division).transform(_floor_division).transform(_no_int128).transform(_bigint)
            .transform(_lists))
    return tree.sql("spark", pretty=True, comments=False, unsupported_level=ErrorLevel.RAISE) + "\n"


def _double_division(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Div):
        return exp.Div(this=exp.cast(node.this, DOUBLE), expression=node.expression)
    return node


def _floor_division(node: exp.Expression) -> exp.Expression:
    if not isinstance(node, exp.IntDiv):
        return node
    numerator = exp.cast(node.this, DECIMAL_38_0)
    remainder = exp.func("PMOD", numerator.copy(), node.expression.copy())
    exact = exp.Div(this=exp.paren(exp.Sub(this=numerator, expression=remainder)),
                    expression=node.expression)
    return exp.cast(exact, DECIMAL_38_0.copy())


def _no_int128(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.DataType) and node.this in (exp.DataType.Type.INT128, exp.DataType.Type.UINT128):
        return DECIMAL_38_0.copy()
    return node


def _bigint(node: exp.Expression) -> exp.Expression:
    window = isinstance(node, exp.Window) and isinstance(node.this, BIGINT_WINDOWS)
    if window or (isinstance(node, BIGINT_IN_DUCKDB) and not isinstance(node.parent, exp.Window)):
        return exp.cast(node, BIGINT.copy())
    return node


def _lists(node: exp.Expression) -> exp.Expression:
    if not isinstance(node, exp.Anonymous):
        return node
    name, args = node.name.lower(), [arg.transform(_lists) for arg in node.expressions]  # inner lookups too
    if name == "list_position" and len(args) == 2:
        return exp.func("NULLIF", exp.func("ARRAY_POSITION", *args), exp.Literal.number(0))
    if name == "list_extract" and len(args) == 2:
        return exp.func("TRY_ELEMENT_AT", args[0], exp.cast(args[1], exp.DataType.build("INT")))
    return node


def generated(name: str) -> str:
    """The Spark file's text for query `name`, as it should be committed."""
    source = (SOURCE / f"{name}.sql").read_text(encoding="utf-8")
    kept = "".join(f"{line}\n" for line in KEPT_COMMENTS if line in source)
    try:
        return HEADER.format(name=name) + kept + transpile(source)
    except sqlglot.errors.SqlglotError as error:
        raise ValueError(f"queries/{name}.sql does not transpile to Spark SQL ({error}). Write it in the portable "
                         "subset (README: the stack), or add a rewrite in scoring/spark_sql.py") from None


def stale() -> list[str]:
    """Queries whose committed Spark file is missing or differs, and Spark files without a source."""
    names = read_queries()
    wrong = [name for name in names
             if not (TARGET / f"{name}.sql").is_file()
             or (TARGET / f"{name}.sql").read_text(encoding="utf-8") != generated(name)]
    orphans = [path.relative_to(TARGET).with_suffix("").as_posix() for path in TARGET.rglob("*.sql")
               if path.relative_to(TARGET).with_suffix("").as_posix() not in names]
    return wrong + orphans


def duckdb_only(text: str) -> list[str]:
    """DuckDB-only tokens left in a Spark file (comments excluded)."""
    code = re.sub(r"--[^\n]*|/\*.*?\*/", "", text, flags=re.DOTALL)
    code = re.sub(r"'(?:[^']|'')*'", "''", code)  # string literals may say anything
    return sorted({match.group(0) for match in DUCKDB_ONLY.finditer(code)})


def write_all() -> list[str]:
    """(Re)write every Spark file and remove orphans; returns the names written."""
    names = read_queries()
    for path in TARGET.rglob("*.sql"):
        if path.relative_to(TARGET).with_suffix("").as_posix() not in names:
            path.unlink()
    for name in names:
        target = TARGET / f"{name}.sql"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(generated(name), encoding="utf-8")
    return names


def main() -> int:
    names = write_all()
    print(f"已生成 {len(names)} 个 Spark SQL 文件 → {TARGET.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
