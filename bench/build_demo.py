"""Build one demo database in this process and print what it took, as JSON on stdout.

Run by `common.build_demo` in a child process, so that the parent reads this process's
peak memory alone (its VmHWM, common.measured_child) and the build never shares a heap with the benchmark.

    python bench/build_demo.py PATH LOANS [--seed 7] [--until 2026-11-27] [--publish]

With `--publish`, as `init --demo` builds it: the last full year published, and what its annual job reads kept first.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import common  # first: puts the repository on sys.path
from scoring import bootstrap


def build(path: Path, loans: int, seed: int, until: date, publish: bool) -> dict:
    """A fresh demo database at `path`: schema, reference data, calendar, then the demo rows (and, with
    `publish`, the published year)."""
    for stale in (path, Path(f"{path}.wal")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    con = bootstrap.connect(path, demo_if_missing=False)
    initialised = time.perf_counter()
    counts = bootstrap.create_demo(con, seed=seed, loans=loans, until=until, publish=publish)
    con.execute("checkpoint")  # the file is complete when the build ends
    con.close()
    finished = time.perf_counter()
    return {"init_seconds": initialised - started, "demo_seconds": finished - initialised, "counts": counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("loans", type=int)
    parser.add_argument("--seed", type=int, default=common.SEED)
    parser.add_argument("--until", type=date.fromisoformat, default=common.UNTIL)
    parser.add_argument("--publish", action="store_true", help="as `init --demo` builds it")
    args = parser.parse_args()
    print(json.dumps(build(args.path, args.loans, args.seed, args.until, args.publish)))


if __name__ == "__main__":
    main()
