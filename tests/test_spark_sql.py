"""The Spark SQL generated from queries/ (issue 13): fresh, free of DuckDB-only constructs,
the rewrites each doing what it says, and every division guarded against zero.

These need only SQLGlot (the Spark extra, requirements-spark.txt), not Spark or Java.
"""

from __future__ import annotations

import pytest

sqlglot = pytest.importorskip("sqlglot", reason="SQLGlot is in the Spark extra: pip install -r requirements-spark.txt")

from sqlglot import exp  # noqa: E402

from scoring import spark_sql  # noqa: E402
from scoring.db import sql  # noqa: E402
from scoring.spark_backend import read_queries, spark_args  # noqa: E402


def test_generated_spark_sql_is_up_to_date():
    stale = spark_sql.stale()
    assert not stale, (f"the Spark SQL in queries_spark/ is stale for {stale}: queries/ changed. Run "
                       f"`{spark_sql.COMMAND}` from the repository root (with the venv's python) and commit queries_spark/")


def test_every_read_query_has_spark_sql_and_write_paths_have_none():
    names = read_queries()
    assert "sla/stages" in names and "subsidy/queue" in names and "indicators/volume" in names
    assert not [n for n in names if n.startswith(("schema/", "import/", "users/", "audit/"))]
    assert all((spark_sql.TARGET / f"{n}.sql").is_file() for n in names)


def test_no_duckdb_only_construct_is_left_in_a_read_query():
    leftovers = {n: spark_sql.duckdb_only((spark_sql.TARGET / f"{n}.sql").read_text(encoding="utf-8"))
                 for n in read_queries()}
    assert {n: found for n, found in leftovers.items() if found} == {}


def test_the_check_finds_duckdb_only_constructs():
    """Positive control: each construct the check looks for is found, outside strings and comments."""
    text = "select $year, a // b, cast(x as hugeint), x::int, string_agg(s, ',') from t qualify 1 -- $x //"
    assert spark_sql.duckdb_only(text) == sorted({"$year", "//", "hugeint", "::", "string_agg", "qualify"})
    assert spark_sql.duckdb_only("select '$year // hugeint' as s, :year from t") == []


def _spark(text: str) -> str:
    return spark_sql.transpile(text)


def test_division_is_double_as_in_duckdb():
    out = _spark("select amount / total as share from t")
    assert "CAST(amount AS DOUBLE) / total" in out


def test_floor_division_is_exact_decimal_without_div():
    out = _spark("select (2 * n + d) // (2 * d) as q from t")
    assert "DIV" not in out.upper().replace("DIVIDE", "")
    assert "PMOD(" in out and "DECIMAL(38, 0)" in out


def test_hugeint_becomes_decimal_38_0():
    out = _spark("select cast(x as hugeint) as y from t")
    assert "DECIMAL(38, 0)" in out and "INT128" not in out.upper()


def test_ordered_string_agg_becomes_listagg_within_group():
    out = _spark("select string_agg(r, ';' order by r) as rs from t group by k")
    assert "LISTAGG(r, ';') WITHIN GROUP (ORDER BY" in " ".join(out.split())


def test_parameters_stay_bound():
    out = _spark("select * from t where year = $year and inst = $scope_inst")
    assert ":year" in out and ":scope_inst" in out and "2025" not in out
    assert set(spark_args(out, {"year": 2025, "scope_inst": None, "unused": 1})) == {"year", "scope_inst"}


def test_list_lookups_give_null_when_missing_as_in_duckdb():
    out = " ".join(_spark("select list_extract($targets, list_position($names, tier)) as t from r").split())
    assert out.endswith("SELECT TRY_ELEMENT_AT(:targets, CAST(NULLIF(ARRAY_POSITION(:names, tier), 0) AS INT)) AS t FROM r")


def test_number_lists_bind_as_one_typed_array():
    """Spark leaves a query unbound when a list's literals need coercing (INT and BIGINT)."""
    args = spark_args("select try_element_at(:amounts, 1), :names, :shares", {
        "amounts": [5_000_000_000, 1_500_000_000], "names": ["big", "joint"], "shares": [1, 0.5]})
    assert str(args["amounts"].dtype) == "int64" and args["amounts"].tolist() == [5_000_000_000, 1_500_000_000]
    assert str(args["shares"].dtype) == "float64" and args["names"] == ["big", "joint"]


def test_duckdb_bigint_functions_are_bigint_on_spark():
    out = " ".join(_spark("select year(d) as y, row_number() over (partition by k order by d) as n from t").split())
    assert "CAST(YEAR(d) AS BIGINT)" in out
    assert "CAST(ROW_NUMBER() OVER (PARTITION BY k ORDER BY d NULLS LAST) AS BIGINT)" in out


# --- division guards -------------------------------------------------------------------------------


def _guarded(division: exp.Expression) -> bool:
    """A denominator is safe when it is a non-zero number, NULLIF(…, 0), or tested by an enclosing
    CASE WHEN that names every column and parameter it uses."""
    denominator = division.expression
    while isinstance(denominator, exp.Paren):
        denominator = denominator.this
    if isinstance(denominator, exp.Literal) and not denominator.is_string:
        return float(denominator.this) != 0
    if isinstance(denominator, exp.Nullif):
        return True
    names = {node.sql() for node in denominator.find_all(exp.Column, exp.Placeholder)}
    for case in _ancestors(division, exp.Case):
        conditions = {node.sql() for when in case.args.get("ifs", []) for node in
                      when.this.find_all(exp.Column, exp.Placeholder)}
        if names and names <= conditions:
            return True
    return False


def _ancestors(node: exp.Expression, kind) -> list:
    found = []
    while node.parent is not None:
        node = node.parent
        if isinstance(node, kind):
            found.append(node)
    return found


def _unguarded(text: str) -> list[str]:
    tree = sqlglot.parse_one(text, read="duckdb")
    return [d.sql("duckdb") for d in tree.find_all(exp.Div, exp.IntDiv) if not _guarded(d)]


def test_every_division_in_a_read_query_is_guarded_against_zero():
    """Spark (ANSI) raises on a division by zero where DuckDB returns inf or NaN; a guard
    makes both give the same NULL or the same branch."""
    found = {name: _unguarded(sql(name)) for name in read_queries()}
    assert {name: divisions for name, divisions in found.items() if divisions} == {}


def test_the_guard_check_finds_an_unguarded_division():
    assert _unguarded("select a / b, a / nullif(b, 0), a // 2, case when b > 0 then a / b end from t") == ["a / b"]


# --- windows at scale -------------------------------------------------------------------------------

# Windows without PARTITION BY run as one task on Spark. Allowed only over a domain that does not
# grow with the loans, with the reason.
UNPARTITIONED_OK = {
    "overview/monthly": "running total over the months of the data window",
    "staging/stage_book": "provisional-day count over the calendar (one row per day)",
    "staging/queue_order": "running totals over payment days (claims are summed per day first)",
    "quality/rate_vs_lpr": "the next LPR date over the LPR history (a few dozen rows)",
}


def _unpartitioned(text: str) -> list[str]:
    tree = sqlglot.parse_one(text, read="duckdb")
    return [w.sql("duckdb") for w in tree.find_all(exp.Window) if not w.args.get("partition_by")]


def test_no_unpartitioned_window_over_rows_that_grow_with_the_loans():
    found = {name: _unpartitioned(sql(name)) for name in read_queries()}
    unexpected = {name: windows for name, windows in found.items() if windows and name not in UNPARTITIONED_OK}
    assert unexpected == {}, ("a window without PARTITION BY runs as a single task on Spark: partition it, or, "
                              "when it runs over a small fixed domain (days, months), add it to UNPARTITIONED_OK "
                              "with the reason")
    assert all(found[name] for name in UNPARTITIONED_OK if name in found)  # the list stays current


def test_the_window_check_finds_an_unpartitioned_window():
    assert _unpartitioned("select sum(x) over (order by d), sum(x) over (partition by k order by d) from t") == [
        "SUM(x) OVER (ORDER BY d)"]
