"""The benchmark scripts in bench/ run at a tiny size and produce their tables (no timings checked).

They also guard the benchmarks' own yardsticks: the pandas versions of the SLA (R9–R10)
and subsidy (R1–R4) computations must agree with the engines, and the agreement checks
must catch a difference.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_subsidy import ledger, three_tied_loans  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))  # the benchmark modules import each other as scripts do

import bench_engines  # noqa: E402
import common  # noqa: E402
import pandas_sla  # noqa: E402
import pandas_subsidy  # noqa: E402
from scoring import sla
from scoring.access import REGULATOR
from scoring.policy import load_policy
from scoring.subsidy import payment_detail

POLICY = load_policy()  # the built-in policy file

pytestmark = pytest.mark.slow  # runs every benchmark script

TINY = 300  # loans: enough for every stage, status and subsidy reason to occur


@pytest.fixture(scope="session")
def bench_dirs(tmp_path_factory) -> tuple[Path, Path]:
    """A demo cache and a results folder shared by the smoke runs."""
    return tmp_path_factory.mktemp("bench_out"), tmp_path_factory.mktemp("bench_results")


def run_script(script: str, dirs: tuple[Path, Path], *extra: str) -> list[dict]:
    """Run a benchmark at the tiny size; the rows of the table it wrote, as {header: cell}."""
    out_dir, results_dir = dirs
    done = subprocess.run(
        [sys.executable, str(BENCH / script), "--sizes", str(TINY), "--out-dir", str(out_dir),
         "--results-dir", str(results_dir), *extra],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = (results_dir / f"{Path(script).stem}.md").read_text(encoding="utf-8")
    assert text.strip() in done.stdout  # printed as well as written
    assert "- cores:" in text and "- duckdb:" in text  # the machine is named
    return table_rows(text)


def table_rows(markdown: str) -> list[dict]:
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
            for line in lines[2:]]


def count(cell: str) -> int:
    return int(cell.replace(",", ""))


def test_bench_demo_builds_and_caches_the_database(bench_dirs):
    (row,) = run_script("bench_demo.py", bench_dirs)
    assert count(row["loans"]) == TINY
    assert count(row["interest payments"]) > TINY  # quarterly interest: several payments per loan
    assert count(row["applications"]) > 0 and count(row["peak RSS MiB"]) > 0
    assert common.demo_path(bench_dirs[0], TINY).exists()  # the other benchmarks reuse it


def test_bench_engines_sla_and_subsidy_agree_with_pandas(bench_dirs):
    """R1–R4, R9–R10: the script refuses to time a pandas version that computes something else."""
    rows = run_script("bench_engines.py", bench_dirs, "--runs", "1")
    assert [r["engine call"] for r in rows] == [
        "sla stages (staging/sla_stages)", "sla.compliance by inst_id",
        "subsidy.subsidy_table(2025)", "subsidy.payment_detail(2025) as Arrow",
    ]
    assert rows[0]["agreement with pandas"].startswith("same ")
    assert rows[3]["agreement with pandas"].endswith("payments, cell by cell in the same order")
    assert all(count(r["input rows"]) > 0 for r in rows)


def test_bench_evaluate_scores_the_year(bench_dirs):
    """R12: the evaluation of 2025 runs on the tiny database and names how many were scored."""
    (row,) = run_script("bench_evaluate.py", bench_dirs, "--runs", "1", "--draws", "10")
    assert count(row["loans"]) == TINY
    scored, total = row["institutions scored"].split(" of ")
    assert 0 <= int(scored) <= int(total) and int(total) > 0


@pytest.fixture(scope="module")
def tiny_con(bench_dirs):
    with common.open_demo(bench_dirs[0], TINY) as con:
        yield con


def test_the_page_benchmark_refuses_a_failed_warm_up(monkeypatch):
    """Both places the page benchmark warms up (timing the warm-up, and before the "after" column) stop on a
    failed one instead of timing pages that compute what it left out."""
    import bench_pages
    monkeypatch.setattr(bench_pages.warm, "warm_up", lambda: False)
    with pytest.raises(RuntimeError, match="warm-up failed"):
        bench_pages.warmed_up()
    monkeypatch.setattr(bench_pages.warm, "warm_up", lambda: True)
    assert bench_pages.warmed_up() is None


def test_sla_agreement_catches_one_changed_status(tiny_con):
    """R10: moving one met stage to breached in the pandas result must be reported."""
    stages = pandas_sla.stage_statuses(pandas_sla.load(tiny_con), bench_engines.AS_OF)
    bench_engines.sla_agreement(tiny_con, stages)  # as computed: agrees
    stages.loc[stages.index[stages["status"] == "met"][0], "status"] = "breached"
    with pytest.raises(bench_engines.Disagreement):
        bench_engines.sla_agreement(tiny_con, stages)


def test_the_yardstick_s_stage_listing_is_the_engine_s_and_a_changed_cell_or_order_is_caught(tiny_con):
    """R9, R10: the pandas stage listing is the annual job's, cell by cell in the same order; one changed
    status, one working day more, or two rows swapped is reported."""
    engine = sla.stage_table(tiny_con, bench_engines.AS_OF, scope=REGULATOR, week="working", policy=POLICY,
                             arrow=True)
    listing = pandas_sla.stage_listing(pandas_sla.load(tiny_con), bench_engines.AS_OF)
    assert bench_engines.listing_agreement("stages", engine, listing).startswith(f"the same {engine.num_rows:,}")
    assert {"met", "breached", "open", "not_applicable"} <= set(listing["status"])
    assert listing["working_days_late"].notna().any() and listing["working_days_left"].notna().any()
    met = listing.index[listing["status"] == "met"][0]
    for change in ({"status": "breached"}, {"working_days_used": listing.loc[met, "working_days_used"] + 1}):
        changed = listing.copy()
        changed.loc[met, list(change)] = list(change.values())
        with pytest.raises(bench_engines.Disagreement, match=next(iter(change))):
            bench_engines.listing_agreement("stages", engine, changed)
    swapped = listing.iloc[[1, 0, *range(2, len(listing))]].reset_index(drop=True)
    with pytest.raises(bench_engines.Disagreement, match="2 rows differ in stage"):  # one application's two stages
        bench_engines.listing_agreement("stages", engine, swapped)


def test_the_yardstick_s_payment_listing_is_the_engine_s_on_a_capped_project(ledger):  # noqa: F811
    """R1–R4: the pandas payment listing equals the engine's where only one project is over its cap and a
    payment's loan is unknown, with the cap shared as worked by hand in `three_tied_loans`; one fen more, or
    two rows swapped, is reported."""
    from datetime import date
    from decimal import Decimal as D

    three_tied_loans(ledger)
    ledger.project("P2")
    ledger.loan("S", project_id="P2", rate=D("0.05"))
    ledger.payment("s", "S", date(2025, 3, 20), "1000.00")  # 2 points of 5 %: 400.00, not capped
    ledger.payment("x", "nowhere", date(2025, 3, 20), "10.00")  # unknown_loan
    engine = payment_detail(ledger.con, 2025, scope=REGULATOR, policy=POLICY, arrow=True)
    listing = pandas_subsidy.payment_listing(pandas_subsidy.load(ledger.con), 2025)
    bench_engines.listing_agreement("payments", engine, listing)
    rows = listing.set_index("payment_id")
    assert rows.groupby("loan_id")["subsidy"].sum().to_dict() == {"L1": 333333334, "L2": 333333333,
                                                                   "L3": 333333333, "S": 40000, "nowhere": 0}
    assert (rows.loc["l1a", "subsidy"], rows.loc["l1b", "subsidy"]) == (166666667, 166666667)
    assert (rows.loc["s", "basis"], rows.loc["x", "reason"], rows["capped"].sum()) == ("rate_points", "unknown_loan", 4)
    assert list(listing["payment_id"]) == ["l1a", "l2", "l3", "s", "x", "l1b"]  # by day paid, then payment
    one_fen = listing.copy()
    one_fen.loc[0, "subsidy"] += 1
    with pytest.raises(bench_engines.Disagreement, match="subsidy"):
        bench_engines.listing_agreement("payments", engine, one_fen)
    with pytest.raises(bench_engines.Disagreement, match="payment_id"):
        bench_engines.listing_agreement("payments", engine, listing.iloc[[1, 0, 2, 3, 4, 5]].reset_index(drop=True))


def test_bench_annual_times_engine_cli_floor_and_pandas_side_by_side(bench_dirs):
    """Issue 14's table: one row per size with the engine, the floor, pandas (agreeing first), the
    three CLI commands and their peak memory on the demo as `init --demo` builds it, each again with
    nothing kept, and DuckDB's least work for the two listings (its listings checked to be the engine's)."""
    out_dir, results_dir = bench_dirs
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_annual.py"), "--sizes", str(TINY), "--runs", "1", "--out-dir",
         str(out_dir), "--results-dir", str(results_dir)], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    first_table = (results_dir / "bench_annual.md").read_text(encoding="utf-8").split("\n\n| loans")[1]
    (row,) = table_rows("| loans" + first_table.split("\n\n")[0])
    assert count(row["loans"]) == TINY
    assert float(row["engine s"]) > 0 and float(row["floor s"]) > 0 and float(row["CLI 3 commands s"]) > 0
    # pandas against the engine on both bases: the listings as DataFrames and as Arrow
    assert all(float(row[f"pandas ÷ engine{basis} (SLA+subsidy)"].rstrip("×")) > 0 for basis in ("", ", Arrow"))
    assert count(row["max CLI peak RSS MiB"]) > 0
    stages = (results_dir / "bench_annual.md").read_text(encoding="utf-8").split("Per stage:\n\n")[1]
    (by_stage,) = table_rows(stages.split("\n\n")[0])
    # each command again on the same rows as a new data version, with nothing kept to read
    assert all(float(by_stage[f"CLI {c}, nothing kept s"]) > 0 for c in ("sla", "subsidy", "evaluate"))
    assert float(by_stage["stage_table_arrow s"]) > 0 and float(by_stage["payment_detail_arrow s"]) > 0
    assert float(row["CLI 3 commands, nothing kept s"]) > 0
    # DuckDB's least work for the two listings, part by part, and pandas against it (the ceiling)
    import bench_annual
    # (each part takes milliseconds at this size: its cell may round to 0.00)
    assert all(float(by_stage[f"least work: {part} s"]) >= 0 for part in bench_annual.LEAST_PARTS)
    assert float(row["DuckDB's least work, SLA+subsidy s"]) > 0
    assert float(row["pandas ÷ DuckDB's least work"].rstrip("×")) > 0
    assert "payments, cell by cell in the same order" in done.stdout  # the yardstick agreed before it was timed


def test_the_growth_table_sets_the_cpu_growth_beside_the_wall_growth():
    """Per-loan ratios from 1 M to 3 M loans, worked by hand: 4.5 s against 1.0 s is 1.50 (over 1.15);
    user CPU 6.0 against 2.0 is 1.00; system CPU 3.0 against 0.5 is 2.00, and 3.0 ÷ 6.0 = 0.50."""
    import bench_annual
    rows = [{"loans": 1_000_000, "engine_stage_table": 1.0, "engine_stage_table_user": 2.0,
             "engine_stage_table_system": 0.5},
            {"loans": 3_000_000, "engine_stage_table": 4.5, "engine_stage_table_user": 6.0,
             "engine_stage_table_system": 3.0}]
    (line,) = [line for line in bench_annual.growth(rows).splitlines() if line.startswith("| engine_stage_table")]
    assert [cell.strip() for cell in line.strip("|").split("|")] == [
        "engine_stage_table", "1.00", "4.50", "1.50", "no", "1.00", "2.00", "0.50"]


def test_a_timing_keeps_the_cpu_of_its_fastest_run():
    """`best_timing` measures the process's own CPU: a busy loop shows user time, a sleep almost none."""
    busy = common.best_timing(lambda: sum(range(2_000_000)), runs=2)
    idle = common.best_timing(lambda: __import__("time").sleep(0.05), runs=2)
    assert busy.user > 0 and busy.wall > 0
    assert idle.wall >= 0.05 and idle.user + idle.system < idle.wall


def test_bench_today_times_each_role_s_first_panel(bench_dirs):
    """今日提醒 right after an import: each role's panel and everyone's lists, nothing kept before each."""
    (row,) = run_script("bench_today.py", bench_dirs, "--runs", "1")
    assert count(row["loans"]) == TINY
    assert all(float(row[f"{who} (s)"]) > 0 for who in ("everyone's lists", "regulator's panel", "district's panel",
                                                         "bank's panel"))
