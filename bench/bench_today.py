"""今日提醒 right after an import (issue 14): what each role's first panel waits for, against everyone's lists.

Per size, on a scratch copy of the cached demo database (seed 7, until 2026-11-27) with results shared as
in the app (`scoring.shared`), and everything kept forgotten before each call (`shared.forget`: the first
visitor after an import, before the background warm-up has kept the day's lists):
- own: `digest.day_facts` for the regulator, a district official (两江新区) and a bank (B01): the lists
  that recipient gets, gathered and kept;
- everyone: every list of the day, gathered and kept (the regulator's panel, then a district's, which adds
  the districts' own list), which each panel used to wait for before narrowing it.
The best of the runs of each.

    .venv/bin/python bench/bench_today.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import shutil
from datetime import date

import common
from common import Column
from scoring import bootstrap, digest, shared
from scoring.access import REGULATOR, Scope

AS_OF = date(2026, 11, 27)  # the demo's last day, a Friday
SCOPES = {"regulator": REGULATOR, "district": Scope("district", district_code="500191"),
          "bank": Scope("institution", inst_id="B01")}


def first_visit(con, run, runs: int) -> float:
    """The fastest of `runs` calls, each with nothing kept (in the process or the file)."""
    times = []
    for _ in range(runs):
        shared.forget(con)
        times.append(common.timed(run)[0])
    return min(times)


def bench_size(out_dir, loans: int, runs: int) -> dict:
    scratch = out_dir / f"today_{loans}.duckdb"
    shutil.copyfile(common.cached_demo(out_dir, loans), scratch)
    con = bootstrap.connect(scratch, demo_if_missing=False)
    shared.enable()
    try:
        row = {"loans": loans}
        common.progress(f"{loans:,}: everyone's lists")
        row["everyone"] = first_visit(con, lambda: [digest.day_facts(con, AS_OF, scope) for scope in
                                                    (REGULATOR, SCOPES["district"])], runs)
        for role, scope in SCOPES.items():
            common.progress(f"{loans:,}: {role}")
            row[role] = first_visit(con, lambda scope=scope: digest.day_facts(con, AS_OF, scope), runs)
            row[f"{role}_ratio"] = common.ratio(row["everyone"], row[role])
    finally:
        shared.enable(False)
        shared.clear()
        con.close()
        scratch.unlink(missing_ok=True)
    return row


COLUMNS = [
    Column("loans", "loans", "{:,}"),
    Column("everyone", "everyone's lists (s)", "{:.2f}"),
    Column("regulator", "regulator's panel (s)", "{:.2f}"),
    Column("district", "district's panel (s)", "{:.2f}"),
    Column("district_ratio", "everyone ÷ district", "{:.2f}×"),
    Column("bank", "bank's panel (s)", "{:.2f}"),
    Column("bank_ratio", "everyone ÷ bank", "{:.2f}×"),
]


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.set_defaults(sizes=[10_000, 100_000, 1_000_000], runs=2)
    args = p.parse_args()
    rows = [bench_size(args.out_dir, loans, args.runs) for loans in args.sizes]
    body = __doc__.split("\n\n", 1)[1].rsplit("\n\n", 1)[0] + "\n\n" + common.markdown_table(rows, COLUMNS)
    common.write_result(args.results_dir, "bench_today", "今日提醒 after an import", common.machine(), body)


if __name__ == "__main__":
    main()
