"""End to end in a real browser: `streamlit run app.py` on a copy of the demo database,
driven by headless Chromium through Playwright. A bank user signs in and reads its
"3个1" page (R10); every main page of a bank and of the regulator is rendered without an
error box and saved as a screenshot under the test's tmp_path.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scoring import bootstrap, db, runs

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SLOW = 90_000  # ms: the first render of a page computes its engines on a cold cache


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server(demo_path, tmp_path):
    """The app on a free port over its own copy of the demo database, with the 2025
    evaluation published so that the bank's ranking page has a result; stopped afterwards."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    database = tmp_path / "e2e.duckdb"
    shutil.copy(demo_path, database)
    con = bootstrap.connect(database)
    runs.evaluate_and_store(con, 2025, draws=200, publish=True)
    con.close()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, db.DB_ENV: str(database)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {process.stdout.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("streamlit did not start")


@pytest.fixture()
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        )
        # tall enough to show most of a page: Streamlit scrolls inside its own container,
        # so a "full page" screenshot is the viewport
        page = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="zh-CN")
        try:
            yield page
        finally:
            browser.close()


def sign_in(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    # until a session's first run, Streamlit's own menu listed the files of pages/ under English names;
    # the app draws its own menu (app.py) with Streamlit's switched off (.streamlit/config.toml)
    deadline = time.monotonic() + SLOW / 1000
    while not page.get_by_label("用户名").count() and time.monotonic() < deadline:
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0, "Streamlit's own menu of pages/ shown"
        time.sleep(0.05)
    page.get_by_label("用户名").fill(username, timeout=SLOW)
    page.get_by_label("密码").fill(password)
    # Streamlit's own hint under a form's input is English; ui/style.py hides it (the 登录 button is there)
    assert page.get_by_text("Press Enter to submit form").count() == 0 or \
        not page.get_by_text("Press Enter to submit form").first.is_visible()
    page.get_by_role("button", name="登录").click()


def open_page(page, title: str, heading: str, shots: Path, name: str) -> None:
    """Click a menu entry, wait for the page's heading and for the run to finish, then check
    that no error box is shown and save a screenshot."""
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=SLOW)
    _settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0, f"{title}: exception shown"
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, f"{title}: error shown"
    page.screenshot(path=str(shots / f"{name}.png"))


QUIET = """() => {
    const busy = document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]');
    const size = document.querySelectorAll('[data-testid="stElementContainer"], .js-plotly-plot').length;
    const quiet = !busy && window.__lastSize === size;
    window.__lastSize = size;
    return quiet;
}"""


def _settle(page) -> None:
    """Wait until Streamlit has finished the run: nothing shows it busy and the page has
    stopped growing between two looks a second apart (charts drawn)."""
    page.wait_for_function(QUIET, timeout=SLOW, polling=1000)
    page.wait_for_timeout(500)


def test_bank_user_reads_its_3_in_1_page_and_main_pages_render(server, browser_page, tmp_path):
    page, shots = browser_page, tmp_path / "shots"
    shots.mkdir()
    outside = []  # every request that would leave the server (a government intranet has none)
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url))
    sign_in(page, server, "bank", "demo-bank")
    page.get_by_role("heading", name="我的“3个1”限时办结").wait_for(timeout=SLOW)
    _settle(page)
    body = page.locator("body").inner_text()
    for text in ("年初至今）", "序时进度", "待办：办理中与临期环节", "超时：尚未办结", "对接（1个工作日）"):
        assert text in body
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(shots / "bank_my_sla.png"))
    open_page(page, "我的排名", "我的排名", shots, "bank_my_rank")
    open_page(page, "我的贴息", "我的贴息", shots, "bank_my_subsidy")
    open_page(page, "数据导入", "数据导入", shots, "bank_import")

    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("用户名").wait_for(timeout=SLOW)  # back at the login form, the bank's page gone
    _settle(page)
    assert "年初至今）" not in page.locator("body").inner_text()
    sign_in(page, server, "regulator", "demo-regulator")
    page.get_by_role("heading", name="总览").first.wait_for(timeout=SLOW)
    _settle(page)
    page.screenshot(path=str(shots / "regulator_overview.png"))
    for title, name in (("赛马", "race"), ("排名", "ranking"), ("机构画像", "profile"), ("情景模拟", "whatif"),
                        ("约谈名单", "interviews"), ("贴息与拨付", "payments"), ("评价运行", "runs"),
                        ("区县赛马", "district_race"), ("储备库台账", "reserve")):
        open_page(page, title, title, shots, f"regulator_{name}")
        if name == "district_race":  # the map: 38 district shapes drawn from the app's own geojson
            page.locator("path.choroplethlocation").nth(37).wait_for(state="attached", timeout=SLOW)
            assert page.locator("path.choroplethlocation").count() >= 38
            assert "西部科学城重庆高新区" in page.locator(".js-plotly-plot").first.text_content()
        if name == "payments":
            body = page.locator("body").inner_text()
            for text in ("贴息与奖补合计（测算）", "拨付队列与市区分担（R7）", "不予贴息（R1）", "按类别"):
                assert text in body
    assert len(list(shots.glob("*.png"))) == 14
    assert not outside, f"requests left the server: {sorted(set(outside))}"
