"""Dashboard page speed on the default demo database: sign-in to the first page, and every page's
first and warm render under every role (targets: login → first page ≤ 1.5 s, first render ≤ 2 s,
warm render ≤ 0.5 s).

    .venv/bin/python bench/bench_pages.py                 # data/demo.duckdb, created if missing
    .venv/bin/python bench/bench_pages.py --db PATH       # another database
    .venv/bin/python bench/bench_pages.py --db data/demo.duckdb ../bench-data/demo-1m.duckdb \
        --out-dir ../bench-data/pages                      # both sizes, one child process each
    .venv/bin/python bench/bench_pages.py --page race --page overview --no-login   # only these pages
    .venv/bin/python bench/bench_pages.py --db ../bench-data/demo-1m.duckdb --warm-only --no-login  # first and warm only

Each database's table is written to `bench/results/bench_pages.md` (the default demo) or
`bench_pages_<file stem>.md` (another file, e.g. `bench_pages_demo-1m.md`; with `--warm-only`,
`bench_pages_<file stem>_warm.md`).

The database is copied to a scratch file under `bench/out/`, the year's evaluation is published there
(the bank and district pages show published results only), and it is given what an import of its data
after that keeps in the file (`importer.keep_results_of_import`: what the pages read first; a demo build
keeps none), so the measured database is never changed. Pages are opened through the router (`app.py`) with
Streamlit's AppTest, in-process:

1. Sign-in, as the server does it: the app opens the database and warms the slowest caches in
   the background (`ui/warm.py`) while the login form shows; once the warm-up has finished, each
   demo user submits the form and the time to the rendered first page is measured (one argon2id
   check included).
2. Every page of every role, in four states (`measure_pages`): "cold", nothing computed yet (the
   results kept per data version forgotten too: right after an import, before the background
   warm-up has finished; the large results a run builds are written to the file after it, in the
   background, and the next measurement starts once they are, `shared.clear`); "first", the process's caches empty but the data version's slow results
   (monthly races, year-end projection) kept in the database as the warm-up leaves them (a
   restarted server's first visitor); "warm", a rerun or a return to the page; "after", a new
   session once the warm-up has filled the process's caches.
3. The warm-up after an import (`warm_up_after_import`), between the cold pass and the first renders:
   how long a page may still be cold after an import.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import common  # puts the repository on sys.path
import streamlit as st
from streamlit.testing.v1 import AppTest

from scoring import auth, bootstrap, db, importer, runs, shared
from ui import data, nav, warm

YEAR = 2025
USERS = {"regulator": ("regulator", "demo-regulator"), "district": ("district", "demo-district"),
         "institution": ("bank", "demo-bank")}
COLUMNS = [
    common.Column("role", "role", text=True),
    common.Column("page", "page", text=True),
    common.Column("cold", "cold: nothing computed (s)", "{:.2f}"),
    common.Column("first", "first run (s)", "{:.2f}"),
    common.Column("warm", "warm run, best of 3 (s)", "{:.2f}"),
    common.Column("after", "first run after warm-up (s)", "{:.2f}"),
]
LOGIN_COLUMNS = [
    common.Column("role", "role", text=True),
    common.Column("form", "login form (s)", "{:.2f}"),
    common.Column("login", "login → first page (s)", "{:.2f}"),
]

FIRST_KEPT = "the process's caches empty, the data version's slow results kept in the database"


def scratch_copy(source: Path, out_dir: Path) -> tuple[Path, int]:
    """A copy of `source` with the year's evaluation published (nothing is written to `source`
    once it exists: a missing one, as in a fresh clone, is created as the app creates its demo),
    and its number of loans."""
    if not source.exists():
        common.progress(f"creating the demo database {source}")
        bootstrap.connect(source).close()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "pages_scratch.duckdb"
    target.unlink(missing_ok=True)
    Path(f"{target}.wal").unlink(missing_ok=True)  # a previous run's, which would not replay on the copy
    shutil.copyfile(source, target)
    con = bootstrap.connect(target)
    if not con.execute("select 1 from meta where key = 'reported_version'").fetchall():
        db.bump_data_version(con)  # a demo built before the reported data had a version of their own: give it one
    if not con.execute("select 1 from evaluation_runs where year = $y and published_at is not null",
                       {"y": YEAR}).fetchall():
        runs.evaluate_and_store(con, YEAR, publish=True)
    importer.keep_results_of_import(con)  # what an import of these data after the publish keeps (a demo build: none)
    [(loans,)] = con.execute("select count(*) from loans").fetchall()
    con.close()
    return target, loans


def render(at: AppTest) -> float:
    seconds, _ = common.timed(at.run)
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return seconds


def empty_caches(forget_kept: bool = False) -> None:
    """Empty the process's caches: a new process. With `forget_kept`, also the results kept in the
    database per data version (`scoring.shared`): right after an import, before the background
    warm-up has computed them again."""
    if forget_kept:
        with data.cursor() as cur:
            shared.forget(cur)
    st.cache_data.clear()
    st.cache_resource.clear()
    shared.clear()  # the subsidy items shared per data version (`scoring.shared`)


def measure_login() -> list[dict]:
    """Sign in through the form as each demo user, after the background warm-up has finished."""
    empty_caches()
    os.environ[data.WARM_ENV] = "1"
    rows = []
    for role, (user, password) in USERS.items():
        at = AppTest.from_file(str(common.ROOT / "app.py"), default_timeout=300)
        form = render(at)
        warm.done.wait(timeout=600)
        at.text_input[0].input(user)
        at.text_input[1].input(password)
        at.button[0].click()
        rows.append({"role": role, "form": form, "login": render(at)})
        common.progress(f"sign-in {role}: {rows[-1]['login']:.2f} s")
    return rows


def open_page(account, page, landing: bool, clear: bool, forget_kept: bool = False) -> tuple[AppTest, float]:
    """An app signed in as `account` showing `page`; the time of the run that rendered it first.
    The router renders the role's landing page on the first run: for another page that run is
    not timed, and with `clear` the caches are emptied again before the page itself is opened."""
    at = AppTest.from_file(str(common.ROOT / "app.py"), default_timeout=300)
    at.session_state["account"] = account
    at.session_state["year"] = YEAR
    if landing:
        return at, render(at)
    at.run()
    if clear:
        empty_caches(forget_kept)
    at.switch_page(page.path)
    return at, render(at)


def measured(role: str, only: list[str]) -> list:
    """The role's pages, or those whose path contains one of `only`: (index in the menu, page)."""
    return [(i, page) for i, page in enumerate(nav.pages_of(role)) if not only or any(o in page.path for o in only)]


def measure_pages(only: list[str], warm_only: bool = False) -> tuple[list[dict], dict]:
    """Per page, in a process whose caches are empty each time (no warm-up running):
    - "cold": nothing computed yet — the kept results forgotten too, as right after an import
      before the background warm-up has finished;
    - "first": the results of the data version kept in the database (the warm-up computes them
      once after each import), the process's caches empty — a restarted server's first visitor;
    - "warm": the rerun;
    - "after": a new session once the background warm-up has filled the process's caches.
    And the warm-up after an import, which the first renders then read (`warm_up_after_import`).
    With `warm_only`, only "first" and "warm" (the quick check at a million loans: the cold pass and
    the second warm-up take half an hour there)."""
    os.environ[data.WARM_ENV] = "0"
    rows = {key: {"role": key[0], "page": key[1]} for key, *_ in every_page(only)}
    if not warm_only:
        for key, account, landing, page in every_page(only):
            empty_caches(forget_kept=True)
            common.progress(f"{key[0]}: {page.title}")
            rows[key]["cold"] = open_page(account, page, landing, clear=True, forget_kept=True)[1]
    warmed = warm_up_after_import()  # computes and keeps this data version's slow results
    for key, account, landing, page in every_page(only):
        empty_caches()
        at, first = open_page(account, page, landing, clear=True)
        rows[key].update(first=first, warm=min(render(at) for _ in range(common.WARM_RUNS)))
    if warm_only:
        return list(rows.values()), warmed
    empty_caches()
    warmed_up()
    for key, account, landing, page in every_page(only):
        rows[key]["after"] = open_page(account, page, landing, clear=False)[1]
    return list(rows.values()), warmed


def warm_up_after_import() -> dict:
    """The warm-up as it runs after an import (`ui.warm.warm_up`: nothing of the data version computed or
    kept yet), timed in the foreground: in the app it runs in the background, and a page opened before it
    ends is a cold render. Wall and CPU seconds (every thread of the process)."""
    empty_caches(forget_kept=True)
    wall, cpu = time.perf_counter(), time.process_time()
    warmed_up()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def warmed_up() -> None:
    """`ui.warm.warm_up`, refusing a failed one: its time, and the pages timed after it (which would compute
    what it left out), would mean nothing."""
    if not warm.warm_up():
        raise RuntimeError("the warm-up failed (see the log above): the figures timed with it would mean nothing")


def every_page(only: list[str]):
    """(key (role, page label), account, whether it is the role's landing page, page) of every
    measured page of every role."""
    for role, (user, _) in USERS.items():
        with data.cursor() as cur:
            account = auth.account(cur, user)
        for i, page in measured(role, only):
            yield (role, f"{page.title} ({page.path})"), account, i == 0, page


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, nargs="+", default=None,
                   help="database(s) (default: the app's, data/demo.duckdb); several run one after another")
    p.add_argument("--out-dir", type=Path, default=common.OUT, help="where the scratch copy goes")
    p.add_argument("--results-dir", type=Path, default=common.RESULTS, help="where the markdown table is written")
    p.add_argument("--page", action="append", default=[], help="only pages whose path contains this (repeatable)")
    p.add_argument("--no-login", action="store_true", help="skip the sign-in measurement")
    p.add_argument("--warm-only", action="store_true",
                   help="only the first and warm renders (no cold pass, no background warm-up)")
    args = p.parse_args()
    sources = args.db or [db.default_path()]
    if len(sources) > 1:  # one child process per database: caches, threads and memory start empty
        options = ["--out-dir", str(args.out_dir), "--results-dir", str(args.results_dir),
                   *[x for page in args.page for x in ("--page", page)], *(["--no-login"] if args.no_login else []),
                   *(["--warm-only"] if args.warm_only else [])]
        for source in sources:
            subprocess.run([sys.executable, __file__, "--db", str(source), *options], check=True)
        return
    measure(sources[0], args)


def measure(source: Path, args) -> None:
    path, loans = scratch_copy(source, args.out_dir)
    os.environ[db.DB_ENV] = str(path)  # the app under AppTest opens this file
    logins = [] if args.no_login else measure_login()
    rows, warmed = measure_pages(args.page, args.warm_only)
    warm_s = [r["warm"] for r in rows]
    first_s = [r["first"] for r in rows]
    cold_s = [r["cold"] for r in rows if "cold" in r]
    login = (common.markdown_table(logins, LOGIN_COLUMNS)
             + f"\n\nLogin → first page: slowest {max(r['login'] for r in logins):.2f} s (target ≤ 1.5 s), "
               "after the background warm-up.\n\n") if logins else ""
    body = (login
            + common.markdown_table(rows, COLUMNS)
            + (f"\n\nFirst render ({FIRST_KEPT}): "
               f"slowest {max(first_s):.2f} s, mean {sum(first_s) / len(first_s):.2f} s (target ≤ 2 s). ")
            + f"Warm render: slowest {max(warm_s):.2f} s, mean {sum(warm_s) / len(warm_s):.2f} s (target ≤ 0.5 s)."
            + (f" Cold render (nothing computed yet: right after an import, before the background warm-up has "
               f"finished): slowest {max(cold_s):.2f} s, mean {sum(cold_s) / len(cold_s):.2f} s." if cold_s else
               " Only the first and warm renders were measured (`--warm-only`).")
            + (f"\n\nWarm-up after an import (`ui.warm.warm_up` from nothing computed, timed in the foreground; "
               f"in the app it runs in the background, and a page opened before it ends is a cold render): "
               f"{warmed['wall']:.1f} s, {warmed['cpu']:.1f} s of CPU.\n"))
    about = common.machine() | {"database": f"{source} ({loans:,} loans; scratch copy with {YEAR} published)"}
    name = "bench_pages" if source.resolve() == db.default_path().resolve() else f"bench_pages_{source.stem}"
    name += "_warm" if args.warm_only else ""  # a quick check never overwrites the full table
    common.write_result(args.results_dir, name, "Dashboard page speed (AppTest)", about, body)
    for scratch in (path, Path(f"{path}.wal")):  # the scratch copy (up to a gigabyte at 1,000,000 loans)
        scratch.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
