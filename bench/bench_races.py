"""The month-by-month races (issue 14): twelve month ends read off books built once, against each month end on its own.

Per size, in one process on the cached demo database (seed 7, until 2026-11-27), for the year 2025:
- composite race: `race.monthly_scores`' computation (`race._all_monthly_scores`: one session over the
  twelve month ends, `cut_offs=True`, only the institutions' scores) against the same twelve month
  ends each evaluated on its own, as the race did before (`evaluate(..., draws=0)` per month end, its
  own session, the district race included);
- district race: `race._all_monthly_district_ranks` against `districts.district_indicators` and
  `district_race` per month end, each in its own session.
Both sides are checked to give the same scores and ranks before they are timed (best of the runs,
nothing shared between runs: each call builds its books again). What the page's first visitor waits
for right after an import, before the background warm-up has kept the races.

    .venv/bin/python bench/bench_races.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import pandas as pd

import common
from common import Column
from scoring import dashboard, districts, race
from scoring.evaluation import district_race, evaluate
from scoring.method import load_method
from scoring.period import Period
from scoring.policy import load_policy

METHOD = load_method()  # the built-in method file
POLICY = load_policy()  # the built-in policy file
YEAR = 2025


def each_alone_scores(con) -> pd.DataFrame:
    """The composite race as twelve evaluations, each month end in a session of its own."""
    frames = []
    for until in race.month_ends(YEAR, dashboard.data_window(con).last_day):
        rows = evaluate(con, Period.of(YEAR, until), METHOD, draws=0, policy=POLICY).institution_rows
        frames.append(rows.assign(month=pd.Timestamp(until.year, until.month, 1))[race.COLUMNS])
    return pd.concat(frames, ignore_index=True)


def each_alone_districts(con) -> pd.DataFrame:
    """The district race with each month end's indicators in a session of their own."""
    frames = []
    for until in race.month_ends(YEAR, dashboard.data_window(con).last_day):
        table = district_race(districts.district_indicators(con, Period.of(YEAR, until), METHOD, POLICY), METHOD)
        frames.append(table.assign(year=YEAR, month=pd.Timestamp(until.year, until.month, 1))[race.DISTRICT_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def bench_size(out_dir, loans: int, runs: int) -> dict:
    with common.open_demo(out_dir, loans) as con:
        pairs = {
            "scores": (lambda: race._all_monthly_scores(con, YEAR, METHOD, POLICY), lambda: each_alone_scores(con)),
            "districts": (lambda: race._all_monthly_district_ranks(con, YEAR, METHOD, POLICY),
                          lambda: each_alone_districts(con)),
        }
        row = {"loans": loans}
        for name, (books, alone) in pairs.items():
            common.progress(f"{loans:,}: {name}")
            pd.testing.assert_frame_equal(books(), alone())  # the same race before it is timed
            row[f"{name}_books"] = common.best_of(books, runs)
            row[f"{name}_alone"] = common.best_of(alone, runs)
            row[f"{name}_ratio"] = common.ratio(row[f"{name}_alone"], row[f"{name}_books"])
    return row


COLUMNS = [
    Column("loans", "loans", "{:,}"),
    Column("scores_books", "composite race, books once (s)", "{:.2f}"),
    Column("scores_alone", "composite race, each month alone (s)", "{:.2f}"),
    Column("scores_ratio", "alone ÷ books", "{:.2f}×"),
    Column("districts_books", "district race, books once (s)", "{:.2f}"),
    Column("districts_alone", "district race, each month alone (s)", "{:.2f}"),
    Column("districts_ratio", "alone ÷ books", "{:.2f}×"),
]


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.set_defaults(sizes=[10_000, 100_000, 1_000_000], runs=2)
    args = p.parse_args()
    rows = [bench_size(args.out_dir, loans, args.runs) for loans in args.sizes]
    body = (__doc__.split("\n\n", 1)[1].rsplit("\n\n", 1)[0] + "\n\n" + common.markdown_table(rows, COLUMNS)
            + "\n\nBoth sides gave identical scores and ranks at every size.")
    common.write_result(args.results_dir, "bench_races", "The month-by-month races", common.machine(), body)


if __name__ == "__main__":
    main()
