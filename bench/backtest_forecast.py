"""Back-test of the year-end projection (issue 11 §1): project 2025 from 2025-06-30 and from
2025-09-30 on the default demo database (seed 7, data to 2026-11-27, as tests/conftest.py) and
compare with the actual 2025 evaluation.

Per as-of day: mean absolute error of the score (and its mean signed error), mean absolute error
of the rank within the peer group, how often the selection (R13) was called right, how many of
the actually selected were projected in, how often the actual score fell inside the projected
5 %–95 % interval; the same score and rank errors for the 41 districts.

    .venv/bin/python bench/backtest_forecast.py [--draws 200]
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

import common

from scoring import bootstrap, forecast
from scoring.evaluation import evaluate

YEAR = 2025
AS_OF = (date(2025, 6, 30), date(2025, 9, 30))


def backtest(con, draws: int) -> list[dict]:
    actual = evaluate(con, YEAR, draws=0)
    truth = actual.institutions.set_index("inst_id")
    truth_d = actual.districts.set_index("district_code")
    rows = []
    for day in AS_OF:
        p = forecast.forecast(con, YEAR, day, draws=draws)
        t = p.institutions.set_index("inst_id").join(
            truth[["score", "rank", "selected", "status"]].rename(columns={"selected": "selected_actual",
                                                                           "status": "status_actual"}))
        t = t[(t["status"] == "scored") & (t["status_actual"] == "scored")]
        d = p.districts.set_index("district_code").join(truth_d[["score", "rank"]])
        chosen = t[t["selected_actual"].astype(bool)]
        rows.append({
            "as_of": day.isoformat(), "pace": p.pace.basis, "scored": len(t),
            "score_mae": (t["projected_score"] - t["score"]).abs().mean(),
            "score_bias": (t["projected_score"] - t["score"]).mean(),
            "score_mae_to_date": (t["score_to_date"] - t["score"]).abs().mean(),
            "rank_mae": (t["projected_rank"] - t["rank"]).abs().mean(),
            "rank_mae_to_date": (t["rank_to_date"] - t["rank"]).abs().mean(),
            "selection_right": (t["projected_selected"].astype(bool) == t["selected_actual"].astype(bool)).mean(),
            "selected_found": f"{int(chosen['projected_selected'].astype(bool).sum())}/{len(chosen)}",
            "coverage": ((t["score"] >= t["projected_score_low"]) & (t["score"] <= t["projected_score_high"])).mean(),
            "district_score_mae": (d["projected_score"] - d["score"]).abs().mean(),
            "district_rank_mae": (d["projected_rank"] - d["rank"]).abs().mean(),
        })
    return rows


COLUMNS = [
    common.Column("as_of", "as of", text=True),
    common.Column("pace", "pace", text=True),
    common.Column("scored", "institutions", "{:,}"),
    common.Column("score_mae", "score MAE", "{:.2f}"),
    common.Column("score_bias", "score bias", "{:+.2f}"),
    common.Column("score_mae_to_date", "score MAE if year-to-date taken as final", "{:.2f}"),
    common.Column("rank_mae", "rank MAE", "{:.2f}"),
    common.Column("rank_mae_to_date", "rank MAE if current order taken as final", "{:.2f}"),
    common.Column("selection_right", "selection called right", "{:.0%}"),
    common.Column("selected_found", "actually selected projected in", text=True),
    common.Column("coverage", "actual inside 5–95 % interval", "{:.0%}"),
    common.Column("district_score_mae", "district score MAE", "{:.2f}"),
    common.Column("district_rank_mae", "district rank MAE", "{:.2f}"),
]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--draws", type=int, default=forecast.DRAWS)
    p.add_argument("--results-dir", type=Path, default=common.RESULTS)
    args = p.parse_args()
    started = common.machine()
    with tempfile.TemporaryDirectory() as tmp:
        con = bootstrap.connect(Path(tmp) / "demo.duckdb", demo_if_missing=False)
        bootstrap.create_demo(con, seed=common.SEED, until=common.UNTIL)
        rows = backtest(con, args.draws)
        con.close()
    common.write_result(args.results_dir, "backtest_forecast",
                        f"Back-test of the 2025 projection ({args.draws} bootstrap draws)", started,
                        common.markdown_table(rows, COLUMNS))


if __name__ == "__main__":
    main()
