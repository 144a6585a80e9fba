"""The comprehensive evaluation of 2025 (R12–R16) with 1,000 robustness draws, against a bare scan.

Per size, in the same run on the same database:
- `evaluation.evaluate(con, 2025, draws=1000)`, best of 3 warm runs, and the share of it
  spent in the indicator SQL (`indicators.raw_indicators`, its staging views included);
- `runs.evaluate_and_store` (evaluate, data fingerprint, store the run) on a scratch copy
  of the database, best of the same runs;
- bare scan: one DuckDB count/sum pass over the rows the evaluation reads (loans signed
  by the end of the year, applications registered by then, the year's interest payments).

    .venv/bin/python bench/bench_evaluate.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import shutil
from datetime import date

import common
from common import Column

from scoring import bootstrap, indicators
from scoring.evaluation import evaluate
from scoring.method import load_method
from scoring.period import Period
from scoring.runs import evaluate_and_store

YEAR = 2025
DRAWS = 1000

SCAN_YEAR = """
    with lent as (
        select count(*) as rows, sum(amount) as amount from loans where year(signed_on) <= $year
    ),
    applied as (
        select count(*) as rows, count(disbursed_on) as disbursed from applications where year(registered_on) <= $year
    ),
    paid as (
        select count(*) as rows, sum(interest_paid) as interest from interest_payments where year(paid_on) = $year
    )
    select lent.rows + applied.rows + paid.rows as rows, lent.amount, applied.disbursed, paid.interest
    from lent, applied, paid
"""

COLUMNS = [
    Column("loans", "loans", "{:,}"),
    Column("rows", "rows read", "{:,}"),
    Column("evaluate", "evaluate s", "{:.2f}"),
    Column("indicator_sql", "of which indicator SQL s", "{:.2f}"),
    Column("store", "evaluate_and_store s", "{:.2f}"),
    Column("scan", "bare scan s", "{:.4f}"),
    Column("evaluate_per_scan", "evaluate/scan", "{:,.0f}×"),
    Column("store_per_evaluate", "store/evaluate", "{:.2f}×"),
    Column("rows_per_second", "rows/s (evaluate)", "{:,.0f}"),
    Column("scored", "institutions scored", text=True),
]


def indicator_sql(con, year: int, as_of: date) -> None:
    """The SQL half of `evaluate`: the staging views, then every raw indicator."""
    indicators.raw_indicators(con, Period.of(year, as_of=as_of), load_method(None))


def store_seconds(out_dir, loans: int, draws: int, runs: int) -> float:
    """`evaluate_and_store` on a scratch copy, so the cached database never gains runs."""
    scratch = out_dir / f"scratch_{loans}.duckdb"
    shutil.copyfile(common.cached_demo(out_dir, loans), scratch)
    try:
        with bootstrap.connect(scratch, demo_if_missing=False) as con:
            return common.best_of(lambda: evaluate_and_store(con, YEAR, draws=draws), runs)
    finally:
        for path in (scratch, scratch.with_name(scratch.name + ".wal")):
            path.unlink(missing_ok=True)


def bench_size(out_dir, loans: int, draws: int, runs: int) -> dict:
    common.progress(f"evaluate on {loans:,} loans")
    with common.open_demo(out_dir, loans) as con:
        scan_row = con.execute(SCAN_YEAR, {"year": YEAR}).fetchall()[0]
        scan = common.best_of(lambda: con.execute(SCAN_YEAR, {"year": YEAR}).fetchall(), runs)
        evaluation = evaluate(con, YEAR, draws=draws)
        seconds = common.best_of(lambda: evaluate(con, YEAR, draws=draws), runs)
        sql_seconds = common.best_of(lambda: indicator_sql(con, YEAR, evaluation.as_of), runs)
    store = store_seconds(out_dir, loans, draws, runs)
    scored = evaluation.institutions["status"].eq("scored")
    return {
        "loans": loans, "rows": scan_row[0], "evaluate": seconds, "indicator_sql": sql_seconds, "store": store,
        "scan": scan, "evaluate_per_scan": common.ratio(seconds, scan),
        "store_per_evaluate": common.ratio(store, seconds),
        "rows_per_second": scan_row[0] / seconds, "scored": f"{int(scored.sum())} of {len(scored)}",
    }


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--draws", type=int, default=DRAWS, help="robustness draws per evaluation")
    args = p.parse_args()
    about = common.machine() | {"draws": args.draws}
    results = [bench_size(args.out_dir, loans, args.draws, args.runs) for loans in args.sizes]
    body = (
        f"`evaluate` of {YEAR} with the default method, best of {args.runs} warm runs after one untimed "
        "call. `of which indicator SQL` is `raw_indicators` alone (the rest is "
        "scoring, robustness draws, drop-one and the district race in numpy/pandas, which does not grow "
        "with the data). `evaluate_and_store` adds the data fingerprint (a sum of row hashes per reported table) "
        "and the stored result rows, on a scratch copy of the database. `rows read` = loans signed by the "
        "end of the year + applications registered by then + the year's interest payments.\n\n"
        + common.markdown_table(results, COLUMNS)
    )
    common.write_result(args.results_dir, "bench_evaluate", f"Evaluation of {YEAR} vs bare scan", about, body)


if __name__ == "__main__":
    main()
