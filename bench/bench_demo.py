"""Demo build time and peak memory per size (`bootstrap.create_demo`, seed 7, until 2026-11-27).

Each size is built in its own child process (bench/build_demo.py); the child's peak
resident memory is the child's own VmHWM (common.measured_child). The builds become the cached databases
that the other benchmarks read.

    .venv/bin/python bench/bench_demo.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import common
from common import Column

COLUMNS = [
    Column("loans", "loans", "{:,}"),
    Column("wall_seconds", "child wall s", "{:.1f}"),
    Column("demo_seconds", "create_demo s", "{:.1f}"),
    Column("loans_per_second", "loans/s", "{:,.0f}"),
    Column("seconds_per_1k_vs_first", "s per 1k loans vs first size", "{:.2f}×"),
    Column("peak_mib", "peak RSS MiB", "{:,.0f}"),
    Column("file_mib", "file MiB", "{:,.0f}"),
    Column("interest_payments", "interest payments", "{:,}"),
    Column("applications", "applications", "{:,}"),
    Column("projects", "projects", "{:,}"),
    Column("enterprises", "enterprises", "{:,}"),
]


def row(build: common.Build, file_bytes: int) -> dict:
    return {
        "loans": build.counts["loans"],
        "wall_seconds": build.wall_seconds,
        "demo_seconds": build.demo_seconds,
        "loans_per_second": build.counts["loans"] / build.demo_seconds,
        "peak_mib": build.peak_rss_bytes / 2**20,
        "file_mib": file_bytes / 2**20,
        **{table: build.counts[table] for table in ("interest_payments", "applications", "projects", "enterprises")},
    }


def with_scaling(rows: list[dict]) -> list[dict]:
    """Seconds per 1,000 loans relative to the first size: 1.00× is linear scaling."""
    first = rows[0]["demo_seconds"] / rows[0]["loans"]
    return [r | {"seconds_per_1k_vs_first": (r["demo_seconds"] / r["loans"]) / first} for r in rows]


def main() -> None:
    args = common.parser(__doc__.splitlines()[0], warm_runs=False).parse_args()
    about = common.machine()
    rows = []
    for loans in args.sizes:
        build = common.fresh_demo(args.out_dir, loans)
        rows.append(row(build, common.demo_path(args.out_dir, loans).stat().st_size))
    body = (
        "Each size built in a fresh child process (interpreter start-up, schema, calendar and "
        "demo rows; `create_demo s` is the `bootstrap.create_demo` call alone).\n\n"
        + common.markdown_table(with_scaling(rows), COLUMNS)
    )
    common.write_result(args.results_dir, "bench_demo", "Demo database build", about, body)


if __name__ == "__main__":
    main()
