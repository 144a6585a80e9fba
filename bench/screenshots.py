"""Screenshots of every page under every role at 1440×900, and every request that would
leave the server (there must be none: a government intranet has no internet).

    .venv/bin/python bench/screenshots.py --port 8604 [--out bench/out/shots] [--db PATH]

Starts `streamlit run app.py` on 127.0.0.1 over a scratch copy of the demo database (the
year's evaluation published), signs in as each demo user in headless Chromium, opens each
page of the role from the menu and saves `<role>_<page>.png` (the 1440×900 viewport) and
`<role>_<page>_full.png` (the page's whole height, for reading below the fold). Requests to
any other host are printed and make the exit code 1. The server is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import common  # puts the repository on sys.path

from bench_pages import scratch_copy
from scoring import db
from ui import nav

USERS = {"regulator": ("regulator", "demo-regulator"), "district": ("district", "demo-district"),
         "institution": ("bank", "demo-bank")}
STATE = "() => (document.querySelector('[data-test-script-state]') || {getAttribute: () => 'none'}).getAttribute('data-test-script-state')"
QUIET = """() => {
    const app = document.querySelector('[data-test-script-state]');
    const busy = (app && app.getAttribute('data-test-script-state') !== 'notRunning')
        || document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]');
    const size = document.querySelectorAll('[data-testid="stElementContainer"], .js-plotly-plot').length;
    const quiet = !busy && window.__lastSize === size;
    window.__lastSize = size;
    return quiet;
}"""


def wait_up(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("streamlit exited")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("streamlit did not start")


def settle(page) -> None:
    page.wait_for_timeout(1500)  # let the rerun start before asking whether it has finished
    page.wait_for_function(QUIET, timeout=180_000, polling=1000)
    page.wait_for_timeout(700)


def full_height(page) -> int:
    """The height of Streamlit's scrolling main container's content."""
    return page.evaluate("""() => Math.max(900, ...Array.from(document.querySelectorAll('section, div'))
        .map(e => e.scrollHeight))""")


def shoot(url: str, out: Path, roles: list[str], only: list[str] | None = None) -> list[str]:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        for role in roles:
            user, password = USERS[role]
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.on("request", lambda r: None if r.url.startswith((url, "data:", "blob:")) else outside.append(r.url))
            page.on("console", lambda m: print(f"  console {m.type}: {m.text}") if m.type == "error" else None)
            page.goto(url)
            page.get_by_label("用户名").fill(user, timeout=120_000)
            page.get_by_label("密码").fill(password)
            settle(page)
            page.screenshot(path=str(out / f"{role}_0login.png")) if role == roles[0] else None
            page.get_by_role("button", name="登录").click()
            settle(page)  # the landing page, before the menu is used
            for spec in nav.pages_of(role):
                if only and spec.url not in only:
                    continue
                page.get_by_role("link", name=spec.title).first.click()
                print(f"  state: {page.evaluate(STATE)}", flush=True)
                page.get_by_role("heading").first.wait_for(timeout=120_000)
                settle(page)
                name = f"{role}_{spec.url}"
                page.screenshot(path=str(out / f"{name}.png"))
                page.set_viewport_size({"width": 1440, "height": min(full_height(page), 12000)})
                page.wait_for_timeout(800)
                page.screenshot(path=str(out / f"{name}_full.png"))
                page.set_viewport_size({"width": 1440, "height": 900})
                print(f"{name}: ok", flush=True)
            page.close()
        browser.close()
    return outside


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=8604)
    p.add_argument("--out", type=Path, default=common.OUT / "shots")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--roles", nargs="+", default=list(USERS))
    p.add_argument("--only", nargs="+", default=None, help="page addresses (url) to shoot, default all")
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    source = args.db or db.default_path()
    path, _ = scratch_copy(source, common.OUT)
    url = f"http://127.0.0.1:{args.port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(common.ROOT / "app.py"), "--server.port", str(args.port),
         "--server.address", "127.0.0.1"], cwd=common.ROOT, env={**os.environ, db.DB_ENV: str(path)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(url, process)
        outside = shoot(url, args.out, args.roles, args.only)
    finally:
        process.terminate()
        process.wait(timeout=30)
    for request in sorted(set(outside)):
        print(f"request leaving the server: {request}")
    sys.exit(1 if outside else 0)


if __name__ == "__main__":
    main()
