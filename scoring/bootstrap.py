"""Opening the database, and what a new one starts with: the schema, the 41 units, the
working-day calendar and — for the embedded default — the demo data, demo accounts and a
published evaluation.

This sits above the engine modules it calls (calendar, auth, runs, the demo generator in
`data/`), so that `scoring.db` below them needs none of them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from scoring import calendar, db, engine


def connect(path: str | Path | None = None, *, demo_if_missing: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database, creating it (with demo data unless told not to) on first use.

    The embedded default is `data/demo.duckdb`; `$JIGAI_DB` or `path` names another file,
    and ":memory:" gives a throw-away database.
    """
    target = str(path) if path is not None else str(db.default_path())
    is_new = target == ":memory:" or not Path(target).exists()
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(target)
    db.apply_schema(con)
    if is_new:
        initialise(con)
        if demo_if_missing:
            create_demo(con, publish=True)
    return con


def initialise(con: duckdb.DuckDBPyConnection) -> None:
    """Reference data and the working-day calendar that every database starts with."""
    load_reference(con)
    calendar.refresh(con)


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """The 41 Chongqing units (data/reference/districts.csv); existing rows are kept."""
    engine.execute(con, "reference/load_districts", path=str(db.REFERENCE / "districts.csv"))


# Deliberate data-quality problems in the demo (issue 11 §3, scoring/quality.py), on 2026 rows only so
# that the 2025 evaluation, the 2025 subsidies and the "3个1" stages are those of the data without them;
# the last one writes when each loan was first reported (row_arrivals).
QUALITY_PROBLEMS = ("demo/quality_rates", "demo/quality_order", "demo/quality_interest", "demo/quality_duplicates",
                    "demo/quality_arrivals")


def plant_quality_problems(con: duckdb.DuckDBPyConnection, until: date) -> None:
    """A realistic sprinkling of the problems the data-quality rules find (README: 报送数据质量)."""
    for name in QUALITY_PROBLEMS:
        engine.execute(con, name, until=until)


def create_demo(con: duckdb.DuckDBPyConnection, seed: int = 7, loans: int | None = None, until=None,
                publish: bool = False) -> dict:
    """Fill an initialised database with demo data and the demo accounts; returns row counts.

    With `publish` (`init --demo`, the app's first start), the latest full year is evaluated and published as a
    regulator would, so that banks and districts (who see published results only) have a result to look at; what
    that year's annual job reads is kept first, as an import keeps it (`importer.keep_annual_job_inputs`), and the
    evaluation reads it.
    """
    # imported here, not at the top: every command opens the database through this module, and
    # the generator, the accounts and the evaluation cost a command that only reads ≈ 0.3 s to load
    from data.demo import generate
    from data.demo_submissions import seed_submissions
    from scoring.auth import add_demo_users
    from scoring.importer import keep_annual_job_inputs
    from scoring.runs import evaluate_and_store

    stats = generate(con, seed=seed, loans=loans, until=until)
    plant_quality_problems(con, until or date.today())
    stats["submissions"] = seed_submissions(con, until or date.today(), seed)
    add_demo_users(con)
    db.bump_data_version(con)
    if publish:
        year = (until or date.today()).year - 1
        keep_annual_job_inputs(con, year)
        evaluate_and_store(con, year, publish=True)
    return stats
