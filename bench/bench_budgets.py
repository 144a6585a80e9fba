"""Time budgets of everyday operations, measured (they were wall-clock assertions in tests).

Per size, in the same run: a 1,000-loan demo generation (budget 5 s), the year's evaluation
with the method's 1,000 robustness draws (3 s, best of the warm runs), a cold month-by-month
race of the year (12 s: twelve evaluations without draws) and 1,000 robustness draws over
40 institutions (0.5 s). Reported as seconds and seconds ÷ budget; nothing fails here.

    .venv/bin/python bench/bench_budgets.py --sizes 6000
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import common
from common import Column
from data.demo import generate
from scoring import bootstrap, race
from scoring.access import REGULATOR
from scoring.evaluation import evaluate
from scoring.method import load_method
from scoring.policy import load_policy
from scoring.robustness import robustness

METHOD = load_method()  # the built-in method file
POLICY = load_policy()  # the built-in policy file

YEAR = 2025
BUDGETS = {  # measure → seconds it should take on this 2-core machine
    "demo generation, 1,000 loans": 5.0,
    f"evaluate({YEAR}), 1,000 draws": 3.0,
    f"race.monthly_scores({YEAR}), cold": 12.0,
    "robustness, 1,000 draws × 40 institutions": 0.5,
}
COLUMNS = [
    Column("loans", "demo loans", "{:,}"),
    Column("measure", "measure", text=True),
    Column("seconds", "seconds", "{:.3f}"),
    Column("budget", "budget s", "{:.1f}"),
    Column("share", "seconds ÷ budget", "{:.2f}"),
]


def demo_generation() -> float:
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    try:
        return common.timed(lambda: generate(con, seed=1, loans=1_000, until=common.UNTIL))[0]
    finally:
        con.close()


def forty_institutions_draws(runs: int) -> float:
    method = load_method()
    ids = [ind.id for ind in method.indicators_for("bank")]
    raw = pd.DataFrame(np.random.default_rng(1).uniform(0, 1, (40, len(ids))), columns=ids,
                       index=pd.Index([f"B{i:02d}" for i in range(40)], name="inst_id"))
    robustness(raw, method, "bank", draws=1000)  # warm-up
    return common.best_of(lambda: robustness(raw, method, "bank", draws=1000), runs)


def bench_size(out_dir, loans: int, runs: int, generation: float, draws: float) -> list[dict]:
    common.progress(f"budgets on {loans:,} loans")
    with common.open_demo(out_dir, loans) as con:
        cold_race = common.timed(
            lambda: race.monthly_scores(con, YEAR, method=METHOD, scope=REGULATOR, policy=POLICY))[0]
        evaluate(con, YEAR, draws=10)  # warm: imports, method, first queries
        evaluation = common.best_of(lambda: evaluate(con, YEAR), runs)
    seconds = dict(zip(BUDGETS, (generation, evaluation, cold_race, draws), strict=True))
    return [{"loans": loans, "measure": measure, "seconds": seconds[measure], "budget": budget,
             "share": seconds[measure] / budget} for measure, budget in BUDGETS.items()]


def main() -> None:
    args = common.parser(__doc__.splitlines()[0]).parse_args()
    generation, draws = demo_generation(), forty_institutions_draws(args.runs)
    rows = [row for loans in args.sizes for row in bench_size(args.out_dir, loans, args.runs, generation, draws)]
    body = ("Seconds of each operation beside the budget it used to be asserted against in the tests "
            f"(best of {args.runs} warm runs where marked; the race and the demo generation are timed cold). "
            "The generation and the robustness draws do not depend on the demo size.\n\n"
            + common.markdown_table(rows, COLUMNS))
    common.write_result(args.results_dir, "bench_budgets", "Time budgets", common.machine(), body)


if __name__ == "__main__":
    main()
