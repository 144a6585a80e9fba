"""DuckDB and Spark give identical results on the demo database (issue 13).

The demo is exported to Parquet and run on Spark `local[2]` (one SparkSession for the
test session: it takes ~20 s to start; the command line's `--engine spark` gets the same one
from `getOrCreate`). The DuckDB side reads copies of the demo file, never the shared one. Compared value by value, with dtypes:
- the command line's files of `sla`, `subsidy` (with `--detail`) and `evaluate`, byte for byte;
- the engine's frames behind them (every column, decimals and dates exact, rows in the
  documented order), and the payment queue with a budget;
- every read query of `queries/` (those with a final ORDER BY in order, others as sets),
  for the regulator and for one bank's scope.

Marked `spark` and `slow` (the fast loop, `-m "not slow"`, skips it): skipped with the reason when
pyspark or Java is missing; `.ci/run` installs both (as root) and runs it. Under a loaded machine a
test may take minutes; a watchdog cancels Spark's jobs after `JOB_LIMIT` seconds so that a stuck
test fails with a message instead of hanging the run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from datetime import date
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest

pytest.importorskip("pyspark", reason="Spark is an optional extra: pip install -r requirements-spark.txt")
sqlglot = pytest.importorskip("sqlglot", reason="SQLGlot is in the Spark extra")


def _java_major() -> int | None:
    """The major version of the `java` on PATH (what pyspark starts without JAVA_HOME), or None."""
    java = shutil.which("java")
    if java is None:
        return None
    found = re.search(r'version "(?:1\.)?(\d+)', subprocess.run([java, "-version"], capture_output=True, text=True,
                                                                 timeout=120).stderr)
    return int(found.group(1)) if found else None


if os.environ.get("JAVA_HOME") is None and (_java_major() or 0) < 17:
    pytest.skip("Spark 4 needs Java 17 or later on PATH (apt-get install openjdk-17-jre-headless)",
                allow_module_level=True)

import duckdb  # noqa: E402

from scoring import budget, cli, evaluation, quality, runs, sla, subsidy  # noqa: E402
from scoring.access import REGULATOR, Scope  # noqa: E402
from scoring.db import sql  # noqa: E402
from scoring.method import load_method  # noqa: E402
from scoring.period import Period, cut_off_table  # noqa: E402
from scoring.policy import load_policy  # noqa: E402
from scoring.engine import Session  # noqa: E402
from scoring.spark_backend import SparkBackend, load_parquet, read_queries, spark_session  # noqa: E402
from tests.conftest import DEMO_UNTIL  # noqa: E402

pytestmark = [pytest.mark.spark, pytest.mark.slow]
JOB_LIMIT = 1200  # seconds per test: ~30x an idle machine's time, bounded so that CI never hangs

YEAR = 2025
BANK = Scope("institution", inst_id="B01")
POLICY = load_policy()
WEEK = load_method().sla_week  # the built-in method's "1周"


@pytest.fixture(scope="session")
def demo_copy(demo_path, tmp_path_factory):
    """A private copy of the demo file: another test of the session may hold the shared one
    open with another configuration (DuckDB refuses a second, different open)."""
    copy = tmp_path_factory.mktemp("duck") / "demo.duckdb"
    shutil.copy(demo_path, copy)
    return copy


@pytest.fixture(scope="session")
def parquet_dir(demo_copy, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet")
    assert cli.main(["export", "--db", str(demo_copy), "--format", "parquet", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def spark(parquet_dir):
    session = spark_session("local[2]")
    load_parquet(session, parquet_dir)
    yield session
    session.stop()  # the JVM ends with the test session, never left behind


@pytest.fixture(autouse=True)
def watchdog(spark):
    """Cancel the running Spark jobs of a test that exceeds JOB_LIMIT: it then fails with
    Spark's cancellation error instead of hanging CI."""
    timer = threading.Timer(JOB_LIMIT, spark.sparkContext.cancelAllJobs)
    timer.daemon = True
    timer.start()
    yield
    timer.cancel()


@pytest.fixture(scope="module")
def engines(spark, demo_copy, tmp_path_factory):
    """(DuckDB, Spark) connections over the same data (DuckDB read-only on a copy of its own)."""
    copy = tmp_path_factory.mktemp("duck") / "demo.duckdb"
    shutil.copy(demo_copy, copy)
    con = duckdb.connect(str(copy), read_only=True)
    yield con, Session(SparkBackend(spark))
    con.close()


def assert_same(duck: pd.DataFrame, spark: pd.DataFrame, label: str) -> None:
    pd.testing.assert_frame_equal(spark, duck, check_exact=True, obj=label)


# --- the command line: the same files ------------------------------------------------------------


def test_command_line_writes_identical_files_on_both_engines(parquet_dir, demo_path, tmp_path, spark):
    database = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, database)  # evaluate stores a run: its own copy
    runs = {"duckdb": ["--db", str(database)], "spark": ["--engine", "spark", "--data", str(parquet_dir)]}
    for engine, source in runs.items():
        out = tmp_path / engine
        assert cli.main(["sla", *source, "--as-of", DEMO_UNTIL.isoformat(), "--out", str(out / "sla.csv")]) == 0
        assert cli.main(["subsidy", *source, "--year", str(YEAR), "--out", str(out / "subsidy.csv"),
                         "--detail", str(out / "payments.csv")]) == 0
        assert cli.main(["evaluate", *source, "--year", str(YEAR), "--out", str(out / "eval"), "--draws", "200"]) == 0
    files = ["sla.csv", "subsidy.csv", "payments.csv", "eval/institutions.csv", "eval/districts.csv"]
    for name in files:
        duck, spark_file = (tmp_path / "duckdb" / name).read_bytes(), (tmp_path / "spark" / name).read_bytes()
        assert len(duck.splitlines()) > 30, name  # real content, not two empty files
        assert spark_file == duck, name


def test_streamed_results_come_partition_by_partition_in_order(spark):
    """`SparkBackend.batches` collects one partition at a time (10,000,000 loans' stages passed
    spark.driver.maxResultSize in one collect): the rows and their order are `toArrow`'s."""
    backend = SparkBackend(spark)
    text = "select id, cast(id as decimal(18, 2)) * 0.25 as quarter from range(0, 1000, 1, 7)"  # 7 partitions
    streamed = list(backend.batches(text, {}, 64))
    assert max(batch.num_rows for batch in streamed) <= 64
    table = pa.Table.from_batches(streamed)
    assert table.column("id").to_pylist() == list(range(1000))
    assert table.equals(backend.arrow(text, {}))


def test_spark_refuses_to_publish_and_needs_data(parquet_dir, tmp_path, capsys):
    for missing in (["--data", str(parquet_dir), "--publish"], []):
        with pytest.raises(SystemExit) as refused:
            cli.main(["evaluate", "--engine", "spark", "--year", str(YEAR), "--out", str(tmp_path), *missing])
        assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "--publish 只能在 DuckDB 引擎上使用" in err and "须以 --data 指定" in err


# --- the engine's frames -------------------------------------------------------------------------


@pytest.mark.parametrize("scope", [REGULATOR, BANK], ids=["regulator", "bank"])
def test_sla_stages_identical(engines, scope):
    duck, spark = (sla.stage_table(con, DEMO_UNTIL, scope=scope, week=WEEK, policy=POLICY) for con in engines)
    assert len(duck) > 1000 and set(duck["status"]) >= {"met", "breached"}
    assert_same(duck, spark, "sla.stage_table")


def test_sla_compliance_by_month_identical(engines):
    frames = [sla.compliance(con, DEMO_UNTIL, by=("inst_id", "month"), scope=REGULATOR, week=WEEK,
                             policy=POLICY) for con in engines]
    assert_same(*frames, "sla.compliance")


def test_subsidies_identical(engines):
    for function in (subsidy.subsidy_table, subsidy.payment_detail, subsidy.totals_by_institution):
        duck, spark = (function(con, YEAR, scope=REGULATOR, policy=POLICY) for con in engines)
        assert len(duck) > 30 and isinstance(duck["subsidy"].iloc[0], Decimal)
        assert_same(duck, spark, function.__name__)


@pytest.mark.parametrize("budget", [None, Decimal("2500000.00"), Decimal("0")])
def test_payment_queue_identical(engines, budget):
    duck, spark = (subsidy.payment_queue(con, YEAR, budget=budget, city_share=Decimal("0.6"), scope=REGULATOR,
                                         policy=POLICY)
                   for con in engines)
    assert duck["queue_no"].tolist() == list(range(1, len(duck) + 1))
    assert_same(duck, spark, "payment_queue")


def test_evaluation_identical(engines):
    duck, spark = (evaluation.evaluate(con, YEAR, draws=100) for con in engines)
    assert duck.institutions["score"].notna().sum() > 10
    for table in ("institutions", "districts", "indicators", "drop_one"):
        assert_same(getattr(duck, table), getattr(spark, table), table)


def test_year_to_date_evaluation_identical(engines):
    """A cut-off inside the year moves V2's comparison period and T1's pro-rata targets."""
    period = Period.of(YEAR, until=date(YEAR, 6, 30))
    duck, spark = (evaluation.evaluate(con, period, draws=0) for con in engines)
    assert_same(duck.institutions, spark.institutions, "institutions")


# --- every read query ------------------------------------------------------------------------------


def _params(con) -> dict:
    """A value for every parameter of every read query."""
    method, policy = load_method(), load_policy()
    run_id = runs.list_runs(con)["run_id"].max()  # the demo's published run
    return {
        **policy.subsidy_params(YEAR), **policy.sla_params, **method.sql_params,
        "veto_kinds": list(method.flags.veto), "year_share": Period.of(YEAR).year_share,
        "until": date(YEAR, 12, 31), "until_last_year": date(YEAR - 1, 12, 31), "as_of": DEMO_UNTIL,
        "period_start": date(YEAR, 1, 1), "period_end": date(YEAR, 12, 31), "calendar_start": date(YEAR - 1, 1, 1),
        "week_calendar_days": False, "by_inst": True, "by_district": False, "by_month": True, "by_stage": False,
        "budget_fen": 250_000_000, "city_share_num": 3, "city_share_den": 5, "unlimited": False, "by_paid_on": False,
        "min_base": method.construction.district_min_base, "min_pool": method.construction.district_min_pool,
        "min_stages": method.construction.district_min_stages, "min_peers": 3,
        "district": None, "run_id": run_id, "subject": "institution", "user": "cli",
        "since": date(YEAR - 1, 12, 31), "reason": None, "top": 3, **quality.THRESHOLDS,
    }


def _prepared(con, params: dict):
    """A session with every temp table the read queries use (staging views build themselves)."""
    from scoring import engine

    session = engine.Session(SparkBackend(con.backend.spark)) if isinstance(con, Session) else \
        engine.Session(engine.DuckDBBackend(con).isolated())
    session.register("calendar_probe", pd.DataFrame({  # what calendar/add_working_days reads
        "day": [date(2025, 9, 30), date(2025, 9, 30), date(2026, 2, 13), date(2024, 12, 31)],
        "n": [1, 5, 3, 0]}))
    session.register("lpr_table", quality._lpr())  # what quality/rate_vs_lpr reads
    # what the indicator queries and districts/indicators read: two cut-offs of the year, the later one the
    # parameters' own
    session.register("cut_offs", cut_off_table([Period(YEAR, date(YEAR, 6, 30), date(YEAR, 6, 30)),
                                                Period(YEAR, params["until"], params["as_of"])]))
    subsidy._register_labels(session, load_policy())
    subsidy._build_all(session, params)
    # what budget/* reads: a variant's tables (the baseline policy with a budget), as the simulator leaves them
    budget._simulated(session, YEAR, budget.Variant(load_policy(), Decimal(params["budget_fen"]) / 100), None)
    return session


# queries whose result is each engine's own by design, not a figure: the data fingerprint sums the
# engine's row hash (runs are stored and compared in DuckDB only, see scoring/runs.py); the DuckDB
# file's path keys the app's shared subsidy items (scoring/shared.py), which Spark never uses
ENGINE_OWN = {"runs/data_checksum", "meta/database_path"}


def _ordered(name: str) -> bool:
    return sqlglot.parse_one(sql(name), read="duckdb").args.get("order") is not None


def _as_set(frame: pd.DataFrame) -> pd.DataFrame:
    keys = frame.astype(str)
    return frame.loc[keys.sort_values(list(keys.columns)).index].reset_index(drop=True)


@pytest.mark.parametrize("scope", [REGULATOR, BANK], ids=["regulator", "bank"])
def test_every_read_query_gives_the_same_result(engines, scope):
    duck_con, spark_con = engines
    params = _params(duck_con)
    duck_cur, spark_cur = _prepared(duck_con, params), _prepared(spark_con, params)
    compared = 0
    for name in read_queries():
        if name in ENGINE_OWN:
            continue
        duck = duck_cur.query(name, scope=scope, **params)
        spark = spark_cur.query(name, scope=scope, **params)
        if not _ordered(name):
            duck, spark = _as_set(duck), _as_set(spark)
        assert_same(duck, spark, name)
        compared += 1
    assert compared == len(read_queries()) - len(ENGINE_OWN) > 60
