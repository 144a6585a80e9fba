"""Dashboard page render times on the default demo database (target: a warm render < 1 s).

    .venv/bin/python bench/bench_pages.py                 # data/demo.duckdb, created if missing
    .venv/bin/python bench/bench_pages.py --db PATH       # another database

The database is copied to a scratch file under `bench/out/` and the year's evaluation is
published there (the bank and district pages show published results only), so the
measured database is never changed. Every page of every role is opened through the
router (`app.py`) as a demo user with Streamlit's AppTest: the first run fills the
caches; the warm run is what a user waits for on a rerun or a return to the page.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

import common  # puts the repository on sys.path
from streamlit.testing.v1 import AppTest

from scoring import auth, bootstrap, db, runs
from ui import nav

YEAR = 2025
USERS = {"regulator": "regulator", "district": "district", "institution": "bank"}
COLUMNS = [
    common.Column("role", "role", text=True),
    common.Column("page", "page", text=True),
    common.Column("first", "first run (s)", "{:.2f}"),
    common.Column("warm", "warm run (s)", "{:.2f}"),
]


def scratch_copy(source: Path, out_dir: Path) -> Path:
    """A copy of `source` with the year's evaluation published (nothing is written to `source`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "pages_scratch.duckdb"
    target.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    con = bootstrap.connect(target)
    if not con.execute("select 1 from evaluation_runs where year = $y and published_at is not null",
                       {"y": YEAR}).fetchall():
        runs.evaluate_and_store(con, YEAR, publish=True)
    con.close()
    return target


def render(at: AppTest) -> float:
    seconds, _ = common.timed(at.run)
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return seconds


def measure(path: Path) -> list[dict]:
    con = bootstrap.connect(path)
    accounts = {role: auth.account(con, user) for role, user in USERS.items()}
    con.close()
    rows = []
    for role, account in accounts.items():
        at = AppTest.from_file(str(common.ROOT / "app.py"), default_timeout=300)
        at.session_state["account"] = account
        at.run()
        for page in nav.pages_of(role):
            common.progress(f"{role}: {page.title}")
            at.switch_page(page.path)
            first = render(at)
            rows.append({"role": role, "page": f"{page.title} ({page.path})", "first": first, "warm": render(at)})
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, default=None, help="database (default: the app's, data/demo.duckdb)")
    p.add_argument("--out-dir", type=Path, default=common.OUT, help="where the scratch copy goes")
    p.add_argument("--results-dir", type=Path, default=common.RESULTS, help="where the markdown table is written")
    args = p.parse_args()
    source = args.db or db.default_path()
    if not source.exists():
        common.progress(f"creating the demo database {source}")
        bootstrap.connect(source).close()
    path = scratch_copy(source, args.out_dir)
    os.environ[db.DB_ENV] = str(path)  # the app under AppTest opens this file
    rows = measure(path)
    warm = [r["warm"] for r in rows]
    body = (common.markdown_table(rows, COLUMNS)
            + f"\n\nWarm render: slowest {max(warm):.2f} s, mean {sum(warm) / len(warm):.2f} s (target < 1 s).")
    about = common.machine() | {"database": f"{source} (scratch copy with {YEAR} published)"}
    common.write_result(args.results_dir, "bench_pages", "Dashboard page renders (AppTest)", about, body)


if __name__ == "__main__":
    main()
