"""The annual job (issue 14): engine, command line, floor and pandas, side by side per size.

Per size, in the same run, on a demo database built in this run (seed 7, until 2026-11-27) as
`init --demo --loans N` builds it — the rows, then what the annual job of 2025 reads kept as an import
keeps it, then 2025 evaluated and published (`bootstrap.create_demo(publish=True)`):
- demo build: that build in a child process, seconds and peak RSS;
- engine: the annual job in one process, a fresh one per size, from the rows (on the same file as a
  new data version, for which nothing is kept) — `sla.stage_table`, `subsidy.subsidy_table`,
  `subsidy.payment_detail` (as of the demo's last day, year 2025) and `evaluate` with 1,000
  robustness draws — each timed (best of the warm runs); and the two listings again as Arrow
  (`arrow=True`: `stage_table_arrow`, `payment_detail_arrow`), the form the annual job keeps its
  rows and money in until its writer, with no Python object per cell (not in the engine's sum);
- CLI: `python -m scoring sla`, `subsidy --detail` and `evaluate` with their output files
  (CSV), each in a child process, once per run on a fresh scratch copy: the fastest wall seconds
  and the highest peak RSS of its runs (VmHWM, `common.measured_child`). On the demo as built (`CLI 3
  commands`: what the file keeps for the job is read in place, as after an import), then on the same
  rows as a new data version, for which nothing is kept (`CLI …, nothing kept`: the first job after the
  product's code changed, or on a file that no import or demo build has kept anything in);
- floor: the same outputs from the product's SQL run straight in DuckDB with no Python
  between — the judged stages listed with `COPY (query) TO csv`, the subsidy tables built and
  the table and the payment detail written with `COPY`, the evaluation's indicator SQL — each
  best of the warm runs, in a process of its own;
- pandas: the vectorised pandas yardstick of SLA + subsidy on frames already in memory, in a process
  of its own: the two listings the annual job writes (`pandas_sla.stage_listing`,
  `pandas_subsidy.payment_listing`), the same columns and rows in the same order as the engine's with
  money in integer fen, checked cell by cell against the engine's first (`listing_agreement`);
- DuckDB's least work for those two listings from the rows, in a process of its own: two parts that no
  engine on DuckDB avoids, each alone (best of the warm runs) — judging the rows (every column of each
  listing computed, then only counted inside DuckDB: `judge_stages`, `judge_payments`) and the listing
  itself (the judged rows held in a temp table in the order the judging leaves them, listed by the
  product's query, with its sort, into Arrow: `list_sla_stages`, `list_payment_subsidies`; checked first
  to be the engine's listing, row by row). Their sum leaves out the subsidies' arithmetic and caps and
  the hand-over from one part to the other, so pandas ÷ it is more than any engine built on DuckDB could
  show here.

Ratios: engine ÷ floor (target ≤ 3×), pandas ÷ engine for SLA + subsidy (target ≥ 5×) — on
two bases, labelled apart: the listings as DataFrames (a `Decimal` and a `datetime.date` per cell,
what a Python caller of the scoring API gets) and as Arrow (what the command line writes from) —;
pandas ÷ DuckDB's least work, the ceiling of the last; and the per-loan growth of every stage from
the second-largest size to the largest (target ≤ 1.15). Beside each timing, the CPU seconds of the
same run (the fastest), in the stage's own code and in the kernel for it: on this virtual machine a
page fault costs the kernel microseconds, so a stage that touches more fresh memory per row at the
larger size grows in system time while its own computation stays linear.

    .venv/bin/python bench/bench_annual.py --sizes 10000 100000 1000000 3000000  # 3 runs each
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bench_engines
import common
import duckdb
import pandas_sla
import pandas_subsidy
import pyarrow as pa
from common import Column

from scoring import db, engine, indicators, sla, subsidy
from scoring.access import REGULATOR
from scoring.engine import sql
from scoring.evaluation import evaluate
from scoring.method import load_method
from scoring.period import Period
from scoring.policy import load_policy

POLICY = load_policy()
WEEK = load_method(None).sla_week  # the built-in method's "1周"
YEAR = 2025
AS_OF = common.UNTIL
DRAWS = 1000
# the parameters the floor and the least work bind to the product's SQL, the regulator's scope (everything)
SLA_PARAMS = sla.stage_params(AS_OF, week=WEEK, policy=POLICY) | REGULATOR.params
SUBSIDY_PARAMS = POLICY.subsidy_params(YEAR) | REGULATOR.params
RSS_TARGET_MIB = 600

ENGINE_STAGES = ("stage_table", "subsidy_table", "payment_detail", "evaluate")
ARROW_STAGES = ("stage_table_arrow", "payment_detail_arrow")  # the SLA + subsidy listings as Arrow, apart from the sum
# DuckDB's least work for the SLA + subsidy listings (`least_work_seconds`)
LEAST_PARTS = ("judge_stages", "judge_payments", "list_sla_stages", "list_payment_subsidies")
CLI_COMMANDS = {
    "sla": ["sla", "--as-of", AS_OF.isoformat(), "--out", "{out}/sla.csv"],
    "subsidy": ["subsidy", "--year", str(YEAR), "--out", "{out}/subsidy.csv", "--detail", "{out}/payments.csv"],
    "evaluate": ["evaluate", "--year", str(YEAR), "--out", "{out}/eval", "--draws", str(DRAWS)],
}


# --- engine in one process ------------------------------------------------------------------


def engine_seconds(con, runs: int) -> dict[str, float]:
    period = Period.of(YEAR)
    calls = {
        "stage_table": lambda: sla.stage_table(con, AS_OF, scope=REGULATOR, week=WEEK, policy=POLICY),
        "subsidy_table": lambda: subsidy.subsidy_table(con, YEAR, scope=REGULATOR, policy=POLICY),
        "payment_detail": lambda: subsidy.payment_detail(con, YEAR, scope=REGULATOR, policy=POLICY),
        "evaluate": lambda: evaluate(con, period, load_method(None), draws=DRAWS, policy=POLICY),
        "stage_table_arrow": lambda: sla.stage_table(con, AS_OF, scope=REGULATOR, week=WEEK, policy=POLICY,
                                                     arrow=True),
        "payment_detail_arrow": lambda: subsidy.payment_detail(con, YEAR, scope=REGULATOR, policy=POLICY, arrow=True),
    }
    return _timed({name: common.best_timing(call, runs) for name, call in calls.items()})


def _timed(timings: dict[str, common.Timing]) -> dict[str, float]:
    """Each stage's wall seconds under its name, and its CPU under `<name>_user` and `<name>_system`."""
    return {f"{name}{suffix}": value for name, timing in timings.items()
            for suffix, value in (("", timing.wall), ("_user", timing.user), ("_system", timing.system))}


# --- the floor: the product's SQL straight in DuckDB, outputs by COPY ---------------------


def _resolved(name: str, params: dict, provided: frozenset[str] = frozenset()) -> tuple[sql.Text, dict]:
    """The query `name` with every staging view inline but those `provided` (tables of the session), and the
    parameters it binds."""
    text = sql.resolve(engine.DuckDBBackend.catalog, name, False, provided)
    return text, {key: params[key] for key in text.params}


def _inline(name: str, params: dict) -> tuple[str, dict]:
    text, bound = _resolved(name, params)
    return text.sql, bound


@contextmanager
def _subsidy_session(con) -> Iterator[engine.Session]:
    """A session holding the year's subsidy tables, built as the product builds them (`subsidy._build_all`), which
    the per-project table and the payment detail read."""
    with engine.session(con) as session:
        subsidy._register_labels(session, POLICY)
        subsidy._build_all(session, POLICY.subsidy_params(YEAR))
        yield session


def floor_seconds(con, folder: Path, runs: int) -> dict[str, float]:
    """The floor of each output: no Python between the query and the file (best of the warm runs)."""
    def copy(target, name, params):
        text, bound = _inline(name, params)
        target.execute(f"copy ({text}) to '{folder / name.replace('/', '_')}.csv' (header)", bound)

    def subsidies():
        with _subsidy_session(con) as session:  # the same build as the product, then COPY
            for name in ("subsidy/by_project", "subsidy/payment_detail"):
                copy(session.backend.con, name, SUBSIDY_PARAMS)

    period = Period.of(YEAR)
    return _timed({
        "sla": common.best_timing(lambda: copy(con, "sla/stages", SLA_PARAMS), runs),
        "subsidy": common.best_timing(subsidies, runs),
        "evaluate": common.best_timing(lambda: indicators.raw_indicators(con, period, load_method(None), POLICY),
                                       runs),
    })


# --- DuckDB's least work for the two listings -------------------------------------------


def least_work_seconds(con, runs: int) -> dict[str, float]:
    """Two parts of the listings' work that no engine on DuckDB avoids, each alone (best of the warm runs):
    judging the rows (`judge_*`: every column of each listing computed from the rows, then only counted) and
    the listing itself (`list_*`: the judged rows, held in a temp table in the order the judging leaves them,
    listed by the product's query, with its sort, into Arrow). Their sum leaves out the subsidies' arithmetic
    and caps and the hand-over between the two parts, so pandas ÷ it is more than any engine on DuckDB could
    show on this machine."""
    timings = {}
    for part, name, params in (("judge_stages", "sla/stages", SLA_PARAMS),
                               ("judge_payments", "staging/judged_payments", SUBSIDY_PARAMS)):
        text, bound = _counting(con, name, params)
        timings[part] = common.best_timing(lambda: con.execute(text, bound).fetchall(), runs)
    engine_listings = {
        "sla_stages": lambda: sla.stage_table(con, AS_OF, scope=REGULATOR, week=WEEK, policy=POLICY, arrow=True),
        "payment_subsidies": lambda: subsidy.payment_detail(con, YEAR, scope=REGULATOR, policy=POLICY, arrow=True)}
    with _subsidy_session(con) as session:  # the payments' subsidies read the year's subsidy tables
        own = session.backend.con
        for view, listing, params in (("sla_stages", "sla/stages", SLA_PARAMS),
                                      ("payment_subsidies", "subsidy/payment_detail", SUBSIDY_PARAMS)):
            text, bound = _resolved(f"{sql.STAGING}/{view}", params)
            own.execute(f"create temp table {view} as\n{text.sql}", bound)
            text, bound = _resolved(listing, params, provided=frozenset({view}))

            def listed() -> pa.Table:
                return own.execute(text.sql, bound).to_arrow_table()

            if not listed().equals(engine_listings[view]()):
                raise RuntimeError(f"{listing} from the held {view} is not the engine's listing")
            timings[f"list_{view}"] = common.best_timing(listed, runs)
    return _timed(timings)


def _counting(con, name: str, params: dict) -> tuple[str, dict]:
    """A query that computes the query `name`'s rows, every column, and only counts them (no row leaves DuckDB),
    and the parameters it binds: written once, outside the timing."""
    text, bound = _resolved(name, params)
    body = text.unsorted or text.sql
    columns = [column for column, *_ in con.execute(f"describe\n{body}", bound).fetchall()]
    counts = ", ".join(f'count("{column}")' for column in columns)
    return f"select count(*), {counts} from (\n{body}\n)", bound


# --- the command line, end to end ------------------------------------------------------------


def cli_runs(built: Path, bare: Path, folder: Path, runs: int) -> dict[str, tuple[common.Timing, int]]:
    """Each command in a child process, `runs` times, each time on a fresh copy (the commands record runs in the
    file) of the demo as built, then (`<name>_bare`) of `bare`: the fastest run's timing and the highest peak RSS
    in bytes."""
    results: dict[str, tuple[common.Timing, int]] = {}
    for _ in range(runs):
        for suffix, source in (("", built), ("_bare", bare)):
            database = folder / "cli.duckdb"
            shutil.copyfile(source, database)
            for name, template in CLI_COMMANDS.items():
                args = [a.format(out=folder / "out") for a in template]
                child = common.measured_child([sys.executable, "-m", "scoring", *args, "--db", str(database)])
                if child.code != 0:
                    raise RuntimeError(f"{name}{suffix} failed: {child.stderr.decode(errors='replace')}")
                timing = common.Timing(child.wall, child.user, child.system)
                best, highest = results.get(name + suffix, (timing, child.peak))
                results[name + suffix] = (min(best, timing), max(highest, child.peak))
    return results


def bare_copy(built: Path, folder: Path) -> Path:
    """`built`'s rows as a new data version of a copy, for which nothing is kept: what the engine computes from."""
    bare = folder / "bare.duckdb"
    shutil.copyfile(built, bare)
    with duckdb.connect(str(bare)) as con:
        db.bump_data_version(con)
    return bare


# --- pandas ---------------------------------------------------------------------------------


def pandas_seconds(con, runs: int) -> dict:
    """The yardstick's timing (`pandas`, `pandas_user`, `pandas_system`) and its agreement with the engine."""
    sla_frames = pandas_sla.load(con)
    subsidy_frames = pandas_subsidy.load(con)
    check = (bench_engines.listing_agreement(
                 "stages", sla.stage_table(con, AS_OF, scope=REGULATOR, week=WEEK, policy=POLICY, arrow=True),
                 pandas_sla.stage_listing(sla_frames, AS_OF)) + "; "
             + bench_engines.listing_agreement(
                 "payments", subsidy.payment_detail(con, YEAR, scope=REGULATOR, policy=POLICY, arrow=True),
                 pandas_subsidy.payment_listing(subsidy_frames, YEAR)))
    timing = common.best_timing(lambda: (pandas_sla.stage_listing(sla_frames, AS_OF),
                                         pandas_subsidy.payment_listing(subsidy_frames, YEAR)), runs)
    return _timed({"pandas": timing}) | {"check": check}


# --- each measurement in a process of its own ------------------------------------------------

# One process per size and measurement, as a job runs: measured in the benchmark's own process after
# the smaller sizes and the yardsticks, the 3 M figures carried their history (DuckDB's `COPY` of the
# stages took 6.2 s there and 5.2 s in a fresh process; the engine's stages grew 1.3–1.4 per loan there,
# 0.9–1.1 fresh). The engine's four stages still run together, as the annual job does.
MEASUREMENTS = {
    "engine": lambda con, runs, folder: engine_seconds(con, runs),
    "floor": lambda con, runs, folder: floor_seconds(con, folder, runs),
    "pandas": lambda con, runs, folder: pandas_seconds(con, runs),
    "least": lambda con, runs, folder: least_work_seconds(con, runs),
}


def measured(database: Path, what: str, runs: int, scratch: Path) -> dict:
    """`MEASUREMENTS[what]` on `database` in a child process (`--measure`): its result."""
    folder = scratch / what
    folder.mkdir()
    child = common.measured_child([sys.executable, str(Path(__file__).resolve()), "--measure", what,
                                   str(database), str(folder), "--runs", str(runs)])
    if child.code != 0:
        raise RuntimeError(f"{what} failed: {child.stderr.decode(errors='replace')}")
    return json.loads(child.stdout.decode().strip().splitlines()[-1])


def measure_in_child(what: str, database: Path, folder: Path, runs: int) -> None:
    with duckdb.connect(str(database), read_only=True) as con:
        print(json.dumps(MEASUREMENTS[what](con, runs, folder)))


# --- one size -------------------------------------------------------------------------------


def bench_size(out_dir: Path, loans: int, runs: int, reuse: bool, publish) -> dict:
    """One size's row; `publish` is called with the row as it fills, phase by phase, so that a run cut
    short (a shared machine) still leaves what it measured."""
    row = {"loans": loans}
    path = common.demo_path(out_dir, loans, published=True)
    if not (reuse and path.exists()):
        build = common.fresh_demo(out_dir, loans, published=True)
        row |= {"build": build.wall_seconds, "build_rss": build.peak_rss_bytes / 2**20}
        publish(row)
    with tempfile.TemporaryDirectory(dir=out_dir) as scratch:
        scratch = Path(scratch)
        bare = bare_copy(path, scratch)
        common.progress(f"{loans:,}: CLI")
        for name, (timing, rss) in cli_runs(path, bare, scratch, runs).items():
            row |= _timed({f"cli_{name}": timing}) | {f"rss_{name}": rss / 2**20}
        row["cli"] = sum(row[f"cli_{c}"] for c in CLI_COMMANDS)
        row["cli_bare"] = sum(row[f"cli_{c}_bare"] for c in CLI_COMMANDS)
        row["rss_max"] = max(row[f"rss_{c}{suffix}"] for c in CLI_COMMANDS for suffix in ("", "_bare"))
        publish(row)
        common.progress(f"{loans:,}: engine, floor, pandas")
        row |= {f"engine_{k}": v for k, v in measured(bare, "engine", runs, scratch).items()}
        row["engine"] = sum(row[f"engine_{s}"] for s in ENGINE_STAGES)
        publish(row)
        row |= {f"floor_{k}": v for k, v in measured(bare, "floor", runs, scratch).items()}
        row["floor"] = sum(row[f"floor_{c}"] for c in CLI_COMMANDS)
        row["engine_per_floor"] = common.ratio(row["engine"], row["floor"])
        publish(row)
        row |= measured(bare, "pandas", runs, scratch)
        publish(row)
        row |= {f"least_{k}": v for k, v in measured(bare, "least", runs, scratch).items()}
        row["least"] = sum(row[f"least_{s}"] for s in LEAST_PARTS)
    row["pandas_per_least"] = common.ratio(row["pandas"], row["least"])
    row["pandas_per_engine"] = common.ratio(row["pandas"], row["engine_stage_table"] + row["engine_payment_detail"])
    row["pandas_per_engine_arrow"] = common.ratio(row["pandas"], sum(row[f"engine_{s}"] for s in ARROW_STAGES))
    publish(row)
    common.progress(f"{loans:,}: done")
    return row


SIZE_COLUMNS = [
    Column("loans", "loans", "{:,}"),
    Column("engine", "engine s", "{:.2f}"),
    Column("floor", "floor s", "{:.2f}"),
    Column("engine_per_floor", "engine ÷ floor", "{:.2f}×"),
    Column("pandas", "pandas SLA+subsidy s", "{:.2f}"),
    Column("pandas_per_engine", "pandas ÷ engine (SLA+subsidy)", "{:.2f}×"),
    Column("pandas_per_engine_arrow", "pandas ÷ engine, Arrow (SLA+subsidy)", "{:.2f}×"),
    Column("least", "DuckDB's least work, SLA+subsidy s", "{:.2f}"),
    Column("pandas_per_least", "pandas ÷ DuckDB's least work", "{:.2f}×"),
    Column("cli", "CLI 3 commands s", "{:.2f}"),
    Column("cli_bare", "CLI 3 commands, nothing kept s", "{:.2f}"),
    Column("rss_max", "max CLI peak RSS MiB", "{:,.0f}"),
    Column("build", "demo build s", "{:.1f}"),
    Column("build_rss", "demo build RSS MiB", "{:,.0f}"),
]
STAGE_COLUMNS = [Column("loans", "loans", "{:,}"),
                 *[Column(f"engine_{s}", f"{s} s", "{:.2f}") for s in ENGINE_STAGES + ARROW_STAGES],
                 *[Column(f"cli_{c}", f"CLI {c} s", "{:.2f}") for c in CLI_COMMANDS],
                 *[Column(f"cli_{c}_bare", f"CLI {c}, nothing kept s", "{:.2f}") for c in CLI_COMMANDS],
                 *[Column(f"rss_{c}", f"CLI {c} MiB", "{:,.0f}") for c in CLI_COMMANDS],
                 *[Column(f"floor_{c}", f"floor {c} s", "{:.2f}") for c in CLI_COMMANDS],
                 *[Column(f"least_{part}", f"least work: {part} s", "{:.2f}") for part in LEAST_PARTS]]
GROWTH_STAGES = ([f"engine_{s}" for s in ENGINE_STAGES + ARROW_STAGES]
                 + [f"cli_{c}{suffix}" for suffix in ("", "_bare") for c in CLI_COMMANDS]
                 + [f"floor_{c}" for c in CLI_COMMANDS] + ["pandas", "build"])


def growth(rows: list[dict]) -> str:
    """Per-loan cost at the largest size ÷ at the one before (1.00 = linear): wall seconds, which the
    target is about, and the CPU seconds of the same runs — in the stage's own code (user) and in the
    kernel for it (system, above all page faults), which tell the computation's growth from the machine's."""
    if len(rows) < 2:
        return ""
    small, large = rows[-2], rows[-1]
    factor = large["loans"] / small["loans"]

    def per_loan(key: str) -> float | None:
        return (large[key] / small[key]) / factor if small.get(key) and large.get(key) else None

    lines = [f"| stage | {small['loans']:,} s | {large['loans']:,} s | per-loan ratio | ≤ 1.15 "
             f"| user CPU per-loan ratio | system CPU per-loan ratio | system ÷ user at {large['loans']:,} |",
             "|:---|---:|---:|---:|:---|---:|---:|---:|"]
    for stage in GROWTH_STAGES:
        ratio = per_loan(stage)
        if ratio is None:
            continue
        user, system = per_loan(f"{stage}_user"), per_loan(f"{stage}_system")
        share = large.get(f"{stage}_system", 0) / large[f"{stage}_user"] if large.get(f"{stage}_user") else None
        met = "yes" if ratio <= 1.15 else "no"
        lines.append(f"| {stage} | {small[stage]:.2f} | {large[stage]:.2f} | {ratio:.2f} | {met} "
                     f"| {_optional(user)} | {_optional(system)} | {_optional(share)} |")
    return "\n".join(lines)


def _optional(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--reuse", action="store_true", help="use a cached demo database when there is one "
                   "(its build is then not timed)")
    p.add_argument("--measure", nargs=3, metavar=("WHAT", "DATABASE", "FOLDER"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.measure:
        what, database, folder = args.measure
        measure_in_child(what, Path(database), Path(folder), args.runs)
        return
    about = common.machine() | {"draws": DRAWS, "warm runs (best kept)": args.runs}
    rows: list[dict] = []

    def publish(current: dict | None = None, final: bool = False) -> None:
        shown = rows + ([current] if current is not None else [])
        facts = about | {"load average (1, 5, 15 min) now": ", ".join(f"{x:.2f}" for x in os.getloadavg())}
        if not final:
            sizes = ", ".join(f"{r['loans']:,}" for r in shown)
            facts["note on progress"] = f"written while the run goes on (sizes so far: {sizes})"
        checks = "\n".join(f"- {r['loans']:,}: {r['check']}" for r in shown if r.get("check"))
        body = (__doc__.split("\n\n", 1)[1].rsplit("\n\n", 1)[0] + "\n\n"
                + common.markdown_table(shown, SIZE_COLUMNS) + "\n\nPer stage:\n\n"
                + common.markdown_table(shown, STAGE_COLUMNS) + "\n\nGrowth:\n\n" + growth(shown)
                + "\n\nThe pandas yardstick agreed with the engine before it was timed:\n\n" + checks)
        common.write_result(args.results_dir, "bench_annual", "The annual job: engine, CLI, floor, pandas", facts,
                            body, quiet=not final)

    for loans in args.sizes:
        rows.append(bench_size(args.out_dir, loans, args.runs, args.reuse, publish))
    publish(final=True)


if __name__ == "__main__":
    main()
