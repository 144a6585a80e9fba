"""The annual pipeline on Spark local[2] and on DuckDB, from the same Parquet data (issue 13).

    python bench/bench_spark.py --sizes 1000000 10000000 [--draws 1000] [--steps sla subsidy evaluate]

Per size: the demo generator's vectorised path (`data.demo.build`, seed 7, until
2026-11-27) writes every table as Parquet (`bench/out/parquet_<loans>_<hash>/`, cached);
DuckDB loads it into a database file (timed apart); then each step of the pipeline runs
as its command line does — `sla --as-of 2026-11-27`, `subsidy --year 2025 --detail`,
`evaluate --year 2025` — writing its CSV files, in a child process per engine and step.
A step's wall time includes the process start and, for Spark, the JVM start; its peak
memory is the largest resident set of the child's whole process tree (Python and the
Spark JVM), sampled every 0.2 s, beside the 1-minute load average when the step ended (the
machine is shared). A child is stopped when its tree passes `--memory-cap` GiB (so that a size
that does not fit never pushes the neighbours' processes out of memory) or runs past `--timeout`
or the `--deadline`; the table says which. The table is rewritten after every step, so a run
stopped early keeps what it measured.

Subcommands used by the script itself: `generate DIR LOANS`, `step ENGINE STEP SOURCE OUT`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import common  # first: puts the repository on sys.path

STEPS = {
    "sla": ["sla", "--as-of", common.UNTIL.isoformat(), "--out", "{out}/sla.csv"],
    "subsidy": ["subsidy", "--year", "2025", "--out", "{out}/subsidy.csv", "--detail", "{out}/payments.csv"],
    "evaluate": ["evaluate", "--year", "2025", "--out", "{out}/eval", "--draws", "{draws}"],
}


# --- children -----------------------------------------------------------------------------


def generate(out_dir: Path, loans: int) -> dict:
    """Every table of a `loans`-loan demo as Parquet: the generated ones through an in-memory
    DuckDB one table at a time (the demo's own insert casts fen to DECIMAL), the reference
    tables and the calendar as `bootstrap.connect` creates them."""
    import numpy as np

    from data import demo
    from data.demo_kit import WorkDays, arrow_table
    from scoring import bootstrap
    from scoring.parquet import exported_tables
    from scoring.reported import write_tables

    con = bootstrap.connect(":memory:", demo_if_missing=False)
    until = np.datetime64(common.UNTIL, "D")
    cal = WorkDays.from_db(con)
    tables = demo.build(np.random.default_rng(common.SEED), demo.Window.of(cal, demo.START, until),
                        demo.Sizes.for_loans(loans))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = {}
    for table in exported_tables():
        generated = table in tables
        if generated:
            write_tables(con, {table: arrow_table(tables.pop(table))})
        con.table(table).write_parquet(str(out_dir / f"{table}.parquet"))
        rows[table] = con.table(table).count("*").fetchall()[0][0]
        if generated:  # free its memory before the next one
            con.execute(f"delete from {table}")  # bench code, not the product: a fixed table name
            con.execute("checkpoint")
    return rows


def load_duckdb(parquet: Path, path: Path) -> dict:
    """A DuckDB database file with the schema, filled from the Parquet tables."""
    from scoring import bootstrap

    path.unlink(missing_ok=True)
    con = bootstrap.connect(path, demo_if_missing=False)
    con.execute("begin transaction")
    for file in sorted(parquet.glob("*.parquet")):
        con.execute(f"delete from {file.stem}")  # the calendar and districts bootstrap.connect wrote
        con.execute(f"insert into {file.stem} select * from read_parquet($path)", {"path": str(file)})
    con.execute("commit")
    con.execute("checkpoint")
    con.close()
    return {"bytes": path.stat().st_size}


def step(engine: str, name: str, source: Path, out: Path, draws: int) -> None:
    """One pipeline step through the command line, in this process."""
    from scoring import cli

    args = [a.format(out=out, draws=draws) for a in STEPS[name]]
    args += ["--db", str(source)] if engine == "duckdb" else ["--engine", "spark", "--data", str(source)]
    code = cli.main(args)
    if code:
        raise SystemExit(code)


# --- the parent: measure children ---------------------------------------------------------


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(int(stat[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def measured(command: list[str], timeout: float, memory_cap: float) -> dict:
    """Run `command`; its wall seconds, the peak RSS of its process tree, the load average when
    it ended, and how it ended (stopped past `timeout` seconds or `memory_cap` bytes)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=common.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    peak, stopped = 0, None
    while child.poll() is None:
        peak = max(peak, tree_rss(child.pid))
        if stopped is None and time.perf_counter() - started > timeout:
            stopped = f"stopped at the time limit ({timeout / 60:.0f} min)"
        if stopped is None and peak > memory_cap:
            stopped = f"stopped at the memory cap ({memory_cap / 2**30:.0f} GiB)"
        if stopped:
            os.killpg(child.pid, 9)
        time.sleep(0.2)
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - started
    outcome = ("ok" if child.returncode == 0 else stopped or
               ("killed (out of memory)" if child.returncode < 0 else f"failed: {_last_error(stderr)}"))
    return {"seconds": wall, "peak_bytes": peak, "outcome": outcome, "load": os.getloadavg()[0], "stdout": stdout,
            "stderr": stderr}


def _last_error(stderr: str) -> str:
    """The cause, not a stack frame: a JVM trace's `at …SparkErrorUtils…` lines name no error."""
    lines = [line for line in stderr.splitlines()
             if ("Error" in line or "Exception" in line or "错误" in line) and not line.lstrip().startswith("at ")]
    return (lines[-1] if lines else stderr.strip().splitlines()[-1] if stderr.strip() else "?")[:160]


def child(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def compare_outputs(left: Path, right: Path) -> str:
    """Which CSV files the two engines both wrote, and whether they are byte-identical."""
    names = sorted({p.relative_to(root).as_posix() for root in (left, right) if root.is_dir()
                    for p in root.rglob("*.csv")})
    both = [n for n in names if (left / n).is_file() and (right / n).is_file()]
    differ = [n for n in both if (left / n).read_bytes() != (right / n).read_bytes()]
    words = [f"identical: {', '.join(n for n in both if n not in differ) or 'none'}"]
    if differ:
        words.append(f"DIFFERENT: {', '.join(differ)}")
    if len(both) < len(names):
        words.append(f"written by one engine only: {', '.join(n for n in names if n not in both)}")
    return "; ".join(words)


def run_size(loans: int, args, report) -> None:
    """Measure one size; `report(row)` records each row as soon as it is measured."""
    key = common.generator_key()
    parquet = args.out_dir / f"parquet_{loans}_seed{common.SEED}_{common.UNTIL:%Y%m%d}_{key}"

    def run(engine: str, step_name: str, command: list[str]) -> bool:
        left = args.deadline - time.time()
        if left <= 60:
            report({"loans": loans, "engine": engine, "step": step_name, "outcome": "not started (deadline)"})
            return False
        common.progress(f"{engine}: {step_name} ({loans:,} loans)")
        result = measured(command, min(args.timeout, left), args.memory_cap * 2**30)
        # the whole stderr beside the table: a failed step's cause is rarely one line
        (args.out_dir / f"stderr_{engine}_{step_name.split()[0]}_{loans}.log").write_text(result.pop("stderr"))
        report({"loans": loans, "engine": engine, "step": step_name, **result})
        return result["outcome"] == "ok"

    if not (parquet / "loans.parquet").exists():
        shutil.rmtree(parquet, ignore_errors=True)
        if not run("—", "generate Parquet", child("generate", str(parquet), str(loans))):
            return
    database = args.out_dir / f"from_parquet_{loans}.duckdb"
    engines = [("duckdb", database), ("spark", parquet)]
    if not run("duckdb", "load Parquet → .duckdb", child("load", str(parquet), str(database))):
        engines = engines[1:]
    outputs = {engine: args.out_dir / f"outputs_{engine}_{loans}" for engine, _ in engines}
    for out in outputs.values():
        shutil.rmtree(out, ignore_errors=True)
    for name in args.steps:  # step by step, both engines: a deadline cuts whole steps, not one engine
        for engine, source in engines:
            run(engine, name, child("step", engine, name, str(source), str(outputs[engine]), "--draws", str(args.draws)))
    if len(outputs) == 2:
        report({"loans": loans, "engine": "both", "step": "output files compared",
                "outcome": compare_outputs(outputs["duckdb"], outputs["spark"])})
    database.unlink(missing_ok=True)


COLUMNS = [
    common.Column("loans", "loans", "{:,}"),
    common.Column("engine", "engine", text=True),
    common.Column("step", "step", text=True),
    common.Column("seconds", "wall s", "{:.1f}"),
    common.Column("peak_gib", "peak memory GiB", "{:.2f}"),
    common.Column("load", "load (1 min) at end", "{:.1f}"),
    common.Column("outcome", "outcome", text=True),
]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("generate", "load", "step"):
        return _child_main(sys.argv[1:])
    p = common.parser(__doc__.splitlines()[0], warm_runs=False)
    p.set_defaults(sizes=[1_000_000, 10_000_000])
    p.add_argument("--draws", type=int, default=1000, help="robustness draws of evaluate")
    p.add_argument("--steps", nargs="+", choices=list(STEPS), default=list(STEPS), help="in this order")
    p.add_argument("--timeout", type=float, default=3 * 3600, help="seconds before a child is stopped")
    p.add_argument("--memory-cap", type=float, default=16, help="GiB of a child's process tree before it is stopped")
    p.add_argument("--deadline", type=_clock, default=None,
                   help="HH:MM (UTC, today): no step starts after it and none runs past it")
    args = p.parse_args()
    args.deadline = args.deadline or time.time() + 365 * 86400
    about = common.machine() | {"spark": _spark_version(), "master": "local[2]",
                                "spark driver memory": os.environ.get("JIGAI_SPARK_DRIVER_MEMORY", "4g"),
                                "duckdb memory limit of the CLI": os.environ.get("JIGAI_DUCKDB_MEMORY", "default"),
                                "memory cap per step": f"{args.memory_cap:g} GiB"}
    rows: list[dict] = []

    def report(row: dict) -> None:
        row["peak_gib"] = row["peak_bytes"] / 2**30 if row.get("peak_bytes") else None
        rows.append(row)
        common.write_result(args.results_dir, "bench_spark", "The annual pipeline on Spark local[2] and DuckDB",
                            about | {"load average (1, 5, 15 min) now": _load()}, common.markdown_table(rows, COLUMNS))

    for loans in args.sizes:
        run_size(loans, args, report)


def _clock(text: str) -> float:
    hours, minutes = map(int, text.split(":"))
    now = datetime.now(timezone.utc)
    return now.replace(hour=hours, minute=minutes, second=0, microsecond=0).timestamp()


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _child_main(argv: list[str]) -> None:
    command, *rest = argv
    if command == "generate":
        print(json.dumps(generate(Path(rest[0]), int(rest[1]))))
    elif command == "load":
        print(json.dumps(load_duckdb(Path(rest[0]), Path(rest[1]))))
    else:
        engine, name, source, out, _, draws = rest
        step(engine, name, Path(source), Path(out), int(draws))


def _spark_version() -> str:
    try:
        import pyspark
    except ImportError:
        return "not installed"
    return pyspark.__version__


if __name__ == "__main__":
    main()
