"""Issue 11 at scale: the year-end projection, the budget simulator (one variant and a 10-point
sweep), the data-quality rules and the daily digest for every recipient, on one demo database.

The database is copied first (`--db`, default the shared 1,000,000-loan demo; DuckDB locks files)
and gets the demo's data-quality problems planted (`bootstrap.plant_quality_problems`) when it was
built without them. Each step is timed once, end to end as the CLI runs it (files written),
because each is minutes of work on a shared machine; the load average is recorded with the figures.
Targets (issue 11): one budget variant ≤ 5 s, the whole digest ≤ 30 s.

    .venv/bin/python bench/bench_foresight.py --db /work/wt/bench-data/demo-1m.duckdb --copy-dir DIR
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import common

from scoring import bootstrap, budget, digest, forecast, quality
from scoring.access import REGULATOR
from scoring.export import write_table

YEAR = 2025
AS_OF = date(2026, 11, 27)  # a Friday: the digest's day, and the projection of 2026 from it
SWEEP = [Decimal(5_000_000) + Decimal(1_666_666.67) * i for i in range(10)]  # the loan cap, 5 M … 20 M

COLUMNS = [
    common.Column("step", "step", text=True),
    common.Column("what", "what", text=True),
    common.Column("seconds", "seconds", "{:.1f}"),
    common.Column("output", "output", text=True),
    common.Column("load", "load average (1 min) after", "{:.1f}"),
]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, default=Path("/work/wt/bench-data/demo-1m.duckdb"))
    p.add_argument("--copy-dir", type=Path, default=None, help="where the working copy goes (default a temp dir)")
    p.add_argument("--results-dir", type=Path, default=common.RESULTS)
    p.add_argument("--draws", type=int, default=forecast.DRAWS)
    args = p.parse_args()
    about = common.machine()
    with tempfile.TemporaryDirectory(dir=args.copy_dir) as tmp:
        copy = Path(tmp) / "bench.duckdb"
        shutil.copy(args.db, copy)
        con = bootstrap.connect(copy, demo_if_missing=False)
        loans = con.execute("select count(*) from loans").fetchone()[0]
        if not con.execute("select count(*) from row_arrivals").fetchone()[0]:
            bootstrap.plant_quality_problems(con, AS_OF)
        out = Path(tmp) / "out"
        rows = []

        def step(name, what, run, describe):
            common.progress(name)
            seconds, result = common.timed(run)
            rows.append({"step": name, "what": what, "seconds": seconds, "output": describe(result),
                         "load": os.getloadavg()[0]})

        step("forecast", f"forecast {AS_OF.year} as of {AS_OF}, {args.draws} draws, 2 CSV",
             lambda: forecast.write(forecast.forecast(con, AS_OF.year, AS_OF, draws=args.draws), out / "forecast"),
             lambda paths: f"{len(paths)} files")
        step("forecast (no interval)", f"forecast {AS_OF.year} as of {AS_OF}, point only",
             lambda: forecast.forecast(con, AS_OF.year, AS_OF, draws=0), lambda r: r.pace.basis)
        variant = budget.load_variant("[caps]\nloan = 5_000_000\n[budget]\namount = 300_000_000\n")
        step("budget, one variant", f"budget {YEAR}: baseline + variant + queue, CSV (as the command writes it)",
             lambda: budget.write(con, YEAR, variant, out / "budget.csv"),
             lambda written: f"{written[0]:,} rows, {(out / 'budget.csv').stat().st_size / 1e6:.1f} MB")
        step("budget, 10-point sweep", "caps.loan 5 M … 20 M, total cost each",
             lambda: budget.sweep(con, YEAR, "caps.loan", SWEEP), lambda curve: f"{len(curve)} points")
        step("quality", f"quality {AS_OF.year}, Q1–Q8, CSV",
             lambda: write_table(quality.findings(con, AS_OF.year, REGULATOR), out / "quality.csv"),
             lambda path: f"{sum(1 for _ in open(path, encoding='utf-8-sig')) - 1:,} findings")
        step("digest, all recipients", f"digest as of {AS_OF}: every institution, 41 districts, regulator",
             lambda: digest.write_all(con, AS_OF, out / "digest"), lambda paths: f"{len(paths)} files")
        con.close()
    about["loans"] = f"{loans:,}"
    common.write_result(args.results_dir, "bench_foresight", "Issue 11 at scale: forecast, budget, quality, digest",
                        about, common.markdown_table(rows, COLUMNS))


if __name__ == "__main__":
    main()
