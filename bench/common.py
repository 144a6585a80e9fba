"""What every benchmark shares: the cached demo databases, timing, the machine, the tables.

Benchmarks are scripts (`python bench/bench_engines.py --sizes 10000 100000`); importing
this module first puts the repository on `sys.path`. Demo databases are built once per
size in a child process (`build_demo.py`) and cached under `bench/out/`, keyed by the
seed, the end day and a hash of the generator and schema sources, so a changed generator
gets a fresh database rather than stale figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402  (after the path is set, like the project's own imports)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

SEED = 7
UNTIL = date(2026, 11, 27)  # as tests/conftest.py: the figures do not move with the clock
SIZES = (10_000, 100_000, 1_000_000)
OUT = BENCH / "out"  # git-ignored
RESULTS = BENCH / "results"
WARM_RUNS = 3
# Sources whose change makes a cached demo database stale.
GENERATOR_SOURCES = ("data/demo*.py", "data/reference/*.csv", "queries/schema/*.sql", "scoring/calendar.py")


# --- command line ------------------------------------------------------------------------


def parser(description: str, warm_runs: bool = True) -> argparse.ArgumentParser:
    """The options of a benchmark: sizes, where the databases and the results go, and
    (for those that time warm calls) how many timed runs."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="numbers of loans (demo sizes)")
    p.add_argument("--out-dir", type=Path, default=OUT, help="cache of demo databases")
    p.add_argument("--results-dir", type=Path, default=RESULTS, help="where the markdown table is written")
    if warm_runs:
        p.add_argument("--runs", type=int, default=WARM_RUNS, help="timed warm runs per measurement (best is kept)")
    return p


# --- demo databases ----------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    """One demo build in a child process."""

    loans: int
    wall_seconds: float  # the child from start to exit, interpreter start-up included
    init_seconds: float  # schema, reference data and calendar
    demo_seconds: float  # db.create_demo
    peak_rss_bytes: int  # the child's peak resident memory
    counts: dict  # rows written per table


def generator_key() -> str:
    """A short hash of everything the cached demo databases are built from."""
    digest = hashlib.sha256()
    for pattern in GENERATOR_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def demo_path(out_dir: Path, loans: int, published: bool = False) -> Path:
    """The cached demo of `loans` loans: the rows alone, or (`published`) as `init --demo` leaves it — the last
    full year published and what its annual job reads kept. A published one is named for the engine's code
    version too, which keys what it keeps: a file built by other code would be read as if nothing were kept."""
    kind = f"_published_{code_version()}" if published else ""
    return out_dir / f"demo_{loans}_seed{SEED}_{UNTIL:%Y%m%d}_{generator_key()}{kind}.duckdb"


def code_version() -> str:
    from scoring import shared  # imported when asked: most benchmarks time the rows alone

    return shared.code_version()


class Child(NamedTuple):
    """What `measured_child` saw of a child process."""

    wall: float  # seconds
    code: int  # exit code
    stdout: bytes
    stderr: bytes
    peak: int  # its own peak RSS in bytes
    user: float  # CPU seconds it spent in its own code, every thread
    system: float  # CPU seconds the kernel spent for it: page faults above all, and I/O


def measured_child(command: list[str]) -> Child:
    """Run `command` and measure it (`Child`).

    The peak is the child's VmHWM, read from /proc while it runs. `ru_maxrss` from wait4 is not
    its own: Linux keeps the high-water mark across fork and exec, so a trivial child of a
    parent holding 800 MiB reports 810 MiB (the benchmark's parent holds the engine's frames).
    Its CPU is what RUSAGE_CHILDREN gained while it ran: the benchmark runs one child at a time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        peak = 0
        while child.poll() is None:
            peak = max(peak, _high_water(child.pid))
            time.sleep(0.02)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.seek(0), err.seek(0)
        return Child(wall, child.returncode, out.read(), err.read(), peak,
                     after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime)


def _high_water(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # it has just exited
        return 0
    kib = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), "0")
    return int(kib) * 1024


def build_demo(path: Path, loans: int, published: bool = False) -> Build:
    """Build the demo database at `path` in a child process (`published`: as `init --demo` does); its wall time
    and own peak memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(BENCH / "build_demo.py"), str(path), str(loans),
               "--seed", str(SEED), "--until", UNTIL.isoformat(), *(["--publish"] if published else [])]
    child = measured_child(command)
    if child.code != 0:
        raise RuntimeError(f"demo build of {loans:,} loans failed (exit {child.code})")
    report = json.loads(child.stdout)
    return Build(loans=loans, wall_seconds=child.wall, init_seconds=report["init_seconds"],
                 demo_seconds=report["demo_seconds"], peak_rss_bytes=child.peak, counts=report["counts"])


def fresh_demo(out_dir: Path, loans: int, published: bool = False) -> Build:
    """Build the cached demo database of `loans` loans anew, removing older builds of that size and kind."""
    for stale in out_dir.glob(f"demo_{loans}_*.duckdb*"):
        if ("_published_" in stale.name) == published:
            stale.unlink()
    path = demo_path(out_dir, loans, published)
    progress(f"building the {loans:,}-loan demo database → {path}")
    return build_demo(path, loans, published)


def cached_demo(out_dir: Path, loans: int) -> Path:
    """The demo database of `loans` loans, built if missing."""
    path = demo_path(out_dir, loans)
    if not path.exists():
        fresh_demo(out_dir, loans)
    return path


def open_demo(out_dir: Path, loans: int) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the cached demo database (the engines only write TEMP tables)."""
    return duckdb.connect(str(cached_demo(out_dir, loans)), read_only=True)


# --- timing ------------------------------------------------------------------------------


class Timing(NamedTuple):
    """One timed call: wall seconds, and the CPU seconds of this process meanwhile (every thread,
    DuckDB's workers included) in its own code (`user`) and in the kernel for it (`system`)."""

    wall: float
    user: float
    system: float


def best_timing(run: Callable[[], object], runs: int = WARM_RUNS) -> Timing:
    """The fastest of `runs` timed calls after one untimed warm-up call."""
    run()
    timings = []
    for _ in range(runs):
        before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        run()
        wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF)
        timings.append(Timing(wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime))
    return min(timings)


def best_of(run: Callable[[], object], runs: int = WARM_RUNS) -> float:
    """The fastest of `runs` timed calls after one untimed warm-up call, in seconds."""
    return best_timing(run, runs).wall


def progress(message: str) -> None:
    """A line on stderr while a long run goes on (the table comes at the end, on stdout)."""
    print(f"{datetime.now():%H:%M:%S} {message}", file=sys.stderr, flush=True)


def timed(run: Callable[[], object]) -> tuple[float, object]:
    """One call's seconds and result."""
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


# --- the machine and the tables ----------------------------------------------------------


def machine() -> dict:
    """What the figures were taken on; the load average tells whether the machine was shared."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    load = os.getloadavg()
    facts = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "ram": f"{memory / 2**30:.1f} GiB",
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "load average (1, 5, 15 min) at start": ", ".join(f"{x:.2f}" for x in load),
    }
    if load[0] > (os.cpu_count() or 1):
        facts["note"] = "taken under shared load (load average above the core count): figures are noisy"
    return facts


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    format: str = "{}"  # a str.format spec for the value; None prints as "—"
    text: bool = False  # left-aligned (words) rather than right-aligned (numbers)


def markdown_table(rows: Iterable[dict], columns: Sequence[Column]) -> str:
    lines = ["| " + " | ".join(c.label for c in columns) + " |",
             "|" + "|".join(":---" if c.text else "---:" for c in columns) + "|"]
    for row in rows:
        cells = ["—" if row.get(c.key) is None else c.format.format(row[c.key]) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_result(results_dir: Path, name: str, title: str, about: dict, body: str, quiet: bool = False) -> Path:
    """Print the result (unless `quiet`) and write it to `<results_dir>/<name>.md` with the machine it ran on."""
    facts = "\n".join(f"- {key}: {value}" for key, value in about.items())
    text = f"# {title}\n\n{facts}\n\n{body.strip()}\n"
    if not quiet:
        print(text)
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if not numerator or not denominator else numerator / denominator
