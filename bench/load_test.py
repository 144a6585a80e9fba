"""Load test: N concurrent sessions against the real Streamlit server on loopback.

Each session speaks the app's own websocket protocol (Streamlit's protobuf BackMsg /
ForwardMsg on /_stcore/stream), as a browser tab would, without a browser: it opens the
app, signs in through the login form, then renders every page of its role twice (the first
pass may compute, the second is warm), pausing between pages as a reader does (`--think`,
uniformly 0.5–1.5 times the mean, seeded; 0 hammers the server with no pause). Meanwhile one more session signs in as a bank and
uploads a file through the import page (file_urls_request, the upload endpoint, the form's
submit), so the data version moves under the others' feet.

A page's latency is the time from the rerun request to the server's "script finished".
Errors: a page whose script raised (an exception element), a page that did not finish in
time, a refused login, a failed import, a dropped connection.

    .venv/bin/python bench/load_test.py --sessions 10 30 60 --port 8614

starts `streamlit run app.py` on 127.0.0.1:PORT over a copy of a demo database (built with
the test fixture's seed and end day), runs each N in turn and writes
bench/results/load_test.md. Bounded: at most --max-sessions sessions and --deadline seconds
per run; the server is stopped at the end whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import common  # puts the repository on sys.path
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

from scoring import bootstrap, db

ROOT = common.ROOT

FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
ACCOUNTS = {"regulator": ("regulator", "demo-regulator"), "district": ("district", "demo-district"),
            "institution": ("bank", "demo-bank")}
MIX = ("institution", "institution", "district", "regulator")  # most users are banks
PAGE_TIMEOUT = 120.0


@dataclass
class Session:
    """One browser tab: its websocket, what the server told it, and its measurements."""

    role: str
    ws: object = None
    session_id: str = ""
    pages: dict[str, str] = field(default_factory=dict)  # page name -> script hash, from the app's navigation
    current_page: str = ""
    widgets: list = field(default_factory=list)  # (kind, proto) of the widgets drawn in the last run
    exceptions: list[str] = field(default_factory=list)
    file_urls: dict[str, object] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    async def send(self, message: BackMsg) -> None:
        await self.ws.send(message.SerializeToString())

    async def rerun(self, widget_states=(), page_hash: str | None = None) -> float:
        """Run the script (optionally on another page) and wait for it to finish; seconds taken."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        state.page_script_hash = page_hash or self.current_page
        state.widget_states.widgets.extend(widget_states)
        self.widgets, self.exceptions, self.texts = [], [], []
        started = time.perf_counter()
        await self.send(message)
        await self.until_finished()
        return time.perf_counter() - started

    async def until_finished(self) -> None:
        """Read messages until a run finishes without a rerun pending."""
        async with asyncio.timeout(PAGE_TIMEOUT):
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await self.ws.recv())
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    self.session_id = msg.new_session.initialize.session_id
                    self.current_page = msg.new_session.page_script_hash
                elif kind == "navigation":  # st.navigation: the pages this user may open
                    self.current_page = msg.navigation.page_script_hash
                    self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages if not p.is_hidden}
                elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    self._element(msg.delta.new_element)
                elif kind == "file_urls_response":
                    self.file_urls[msg.file_urls_response.response_id] = msg.file_urls_response
                elif kind == "script_finished" and msg.script_finished == FINISHED:
                    return

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind in ("text_input", "button", "file_uploader"):
            self.widgets.append((kind, getattr(element, kind)))
        elif kind == "alert":
            self.texts.append(element.alert.body)

    def widget(self, kind: str, label_part: str = ""):
        return next(w for k, w in self.widgets if k == kind and label_part in w.label)

    async def login(self, username: str, password: str) -> bool:
        states = []
        for label, value in (("用户名", username), ("密码", password)):
            states.append(_state(self.widget("text_input", label).id))
            states[-1].string_value = value
        submit = _state(self.widget("button", "登录").id)
        submit.trigger_value = True
        await self.rerun([*states, submit])
        return bool(self.pages)

    async def upload_and_import(self, port: str, xsrf: str, name: str, payload: bytes) -> str:
        """The import page's upload: ask for an upload URL, PUT the file, submit the form."""
        uploader = self.widget("file_uploader")
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.session_id = self.session_id
        request.file_urls_request.file_names.append(name)
        await self.send(request)
        async with asyncio.timeout(PAGE_TIMEOUT):
            while request.file_urls_request.request_id not in self.file_urls:
                msg = ForwardMsg()
                msg.ParseFromString(await self.ws.recv())
                if msg.WhichOneof("type") == "file_urls_response":
                    self.file_urls[msg.file_urls_response.response_id] = msg.file_urls_response
        urls = self.file_urls[request.file_urls_request.request_id].file_urls[0]
        await asyncio.to_thread(_put_file, f"http://127.0.0.1:{port}{urls.upload_url}", xsrf, name, payload)
        files = _state(uploader.id)
        info = files.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = urls.file_id, name, len(payload)
        info.file_urls.CopyFrom(urls)
        submit = _state(self.widget("button", "校验并导入").id)
        submit.trigger_value = True
        await self.rerun([files, submit])
        return " ".join(self.texts)


def _state(widget_id: str) -> WidgetState:
    state = WidgetState()
    state.id = widget_id
    return state


def _put_file(url: str, xsrf: str, name: str, payload: bytes) -> None:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode() + payload + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, method="PUT", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": xsrf,
        "Cookie": f"_streamlit_xsrf={xsrf}"})
    urllib.request.urlopen(request, timeout=60).read()


def _xsrf(port: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("_streamlit_xsrf="):
                return header.split(";")[0].split("=", 1)[1]
    return ""


async def open_session(port: str, xsrf: str, role: str) -> Session:
    session = Session(role)
    # no client pings: a browser tab sends none (the server's pings are still answered)
    session.ws = await connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit", xsrf],
                               additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}"}, max_size=None,
                               open_timeout=60, ping_interval=None)
    await session.rerun()
    return session


@dataclass
class Run:
    sessions: int
    think: float
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    logins: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    import_seconds: float | None = None
    import_result: str = ""
    busy_retries: int = 0
    wall: float = 0.0


async def one_user(port: str, xsrf: str, role: str, run: Run, start_delay: float, think: float, seed: int) -> None:
    await asyncio.sleep(start_delay)  # users arrive over a few seconds, not in the same millisecond
    pause = random.Random(seed)
    try:
        session = await open_session(port, xsrf, role)
        started = time.perf_counter()
        if not await sign_in(session, role, run):
            return
        run.logins.append(time.perf_counter() - started)
        for sink in (run.cold, run.warm):
            for path in list(session.pages):
                await asyncio.sleep(think * pause.uniform(0.5, 1.5))
                seconds = await session.rerun(page_hash=session.pages[path])
                sink.append(seconds)
                if session.exceptions:
                    run.errors.append(f"{role} {path}: {session.exceptions[0][:200]}")
        await session.ws.close()
    except Exception as error:  # a measurement, not a crash: every failure is counted
        run.errors.append(f"{role}: {type(error).__name__}: {error}")


async def sign_in(session: Session, role: str, run: Run) -> bool:
    """Sign in as a user would: refused as busy (every argon2 slot taken), try again a few seconds
    later, up to five times; counted apart from errors."""
    for _ in range(5):
        if await session.login(*ACCOUNTS[role]):
            return True
        if not any("登录请求较多" in text for text in session.texts):
            break
        run.busy_retries += 1
        await asyncio.sleep(3)
        await session.rerun()  # the login form again
    run.errors.append(f"{role}: 登录失败 {session.texts}")
    return False


async def importer(port: str, xsrf: str, run: Run, payload: bytes, delay: float) -> None:
    await asyncio.sleep(delay)
    try:
        session = await open_session(port, xsrf, "institution")
        if not await sign_in(session, "institution", run):
            return
        await session.rerun(page_hash=session.pages["数据导入"])
        started = time.perf_counter()
        run.import_result = await session.upload_and_import(port, xsrf, "products.csv", payload)
        run.import_seconds = time.perf_counter() - started
        if "导入成功" not in run.import_result:
            run.errors.append(f"import: {run.import_result[:200]}")
        await session.ws.close()
    except Exception as error:
        run.errors.append(f"import: {type(error).__name__}: {error}")


def products_csv(rows: int, tag: str) -> bytes:
    lines = ["product_id,inst_id,name,category,launched_on,innovative"]
    lines += [f"LT{tag}{i:05d},B01,压测产品{i},other,2026-01-05,false" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


async def measure(port: str, sessions: int, deadline: float, import_rows: int, think: float) -> Run:
    run = Run(sessions, think)
    xsrf = await asyncio.to_thread(_xsrf, port)
    ramp = sessions * 0.25  # 60 users within 15 s: a morning rush
    users = [one_user(port, xsrf, MIX[i % len(MIX)], run, ramp * i / sessions, think, seed=i) for i in range(sessions)]
    started = time.perf_counter()
    try:
        async with asyncio.timeout(deadline):
            await asyncio.gather(*users, importer(port, xsrf, run, products_csv(import_rows, str(sessions)), ramp + 2))
    except TimeoutError:
        run.errors.append(f"超时：{deadline:g} 秒内未完成")
    run.wall = time.perf_counter() - started
    return run


def start_server(port: str, database: Path) -> subprocess.Popen:
    env = {**os.environ, db.DB_ENV: str(database), "JIGAI_LOGIN_VERIFY_WAIT": "30"}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", port,
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"服务未能启动：{server.stderr.read().decode(errors='replace')[-2000:]}") from None
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("服务 120 秒内未就绪")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 1)) - 1))] if ordered else float("nan")


def build_database(folder: Path) -> Path:
    path = folder / "load.duckdb"
    con = bootstrap.connect(path, demo_if_missing=False)
    bootstrap.create_demo(con, seed=7, until=date(2026, 11, 27), publish=True)
    con.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="并发会话压测（真实 Streamlit 服务，本机回环）")
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 30, 60])
    parser.add_argument("--port", default="8614")
    parser.add_argument("--max-sessions", type=int, default=100)
    parser.add_argument("--deadline", type=float, default=900, help="每一轮最长秒数")
    parser.add_argument("--import-rows", type=int, default=2000)
    parser.add_argument("--think", type=float, default=2.0, help="两次翻页之间的平均停顿秒数（0：不停顿）")
    parser.add_argument("--db", type=Path, default=None, help="演示库（默认：临时新建）")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load_test.md")
    args = parser.parse_args(argv)
    counts = [n for n in args.sessions if 0 < n <= args.max_sessions]
    results = []
    with tempfile.TemporaryDirectory() as folder:
        source = args.db or build_database(Path(folder))
        for n in counts:
            database = Path(folder) / f"run{n}.duckdb"
            shutil.copy(source, database)  # each N starts from the same data and a cold server
            server = start_server(args.port, database)
            try:
                run = asyncio.run(measure(args.port, n, args.deadline, args.import_rows, args.think))
            finally:
                stop_server(server)
            results.append(run)
            print(summary_line(run), flush=True)
            for error in run.errors[:10]:
                print("  ", error, flush=True)
    if args.out:
        write_report(results, args.out)
    return 0 if all(not r.errors for r in results) else 1


def summary_line(run: Run) -> str:
    return (f"N={run.sessions} think {run.think:g} s: warm p50 {quantile(run.warm, .5):.2f} s, p95 {quantile(run.warm, .95):.2f} s; "
            f"all pages p50 {quantile(run.cold + run.warm, .5):.2f} s, p95 {quantile(run.cold + run.warm, .95):.2f} s; "
            f"login p95 {quantile(run.logins, .95):.2f} s; busy retries {run.busy_retries}; import {run.import_seconds or float('nan'):.1f} s; "
            f"errors {len(run.errors)}; wall {run.wall:.0f} s")


def write_report(results: list[Run], out: Path) -> None:
    rows = [{"sessions": r.sessions, "think": r.think, "renders": len(r.cold) + len(r.warm), "warm50": quantile(r.warm, .5),
             "warm95": quantile(r.warm, .95), "first50": quantile(r.cold, .5), "first95": quantile(r.cold, .95),
             "max": max(r.cold + r.warm, default=None), "login95": quantile(r.logins, .95),
             "import": r.import_seconds, "retries": r.busy_retries, "errors": len(r.errors), "wall": r.wall}
            for r in results]
    columns = [common.Column("sessions", "sessions"), common.Column("think", "think s", "{:g}"), common.Column("renders", "page renders"),
               common.Column("warm50", "warm p50 s", "{:.2f}"), common.Column("warm95", "warm p95 s", "{:.2f}"),
               common.Column("first50", "first-pass p50 s", "{:.2f}"), common.Column("first95", "first-pass p95 s", "{:.2f}"),
               common.Column("max", "max s", "{:.2f}"), common.Column("login95", "login p95 s", "{:.2f}"),
               common.Column("import", "import s", "{:.1f}"), common.Column("retries", "busy login retries"),
               common.Column("errors", "errors"),
               common.Column("wall", "wall s", "{:.0f}")]
    body = ("Sessions are banks, banks, a district official, a regulator, repeating; each signs in through the "
            "form and renders every page of its role twice (first pass, then warm), pausing `think` seconds on average "
            "between pages (0: no pause, the server is never idle); users arrive over N/4 seconds, and one refused "
            "as busy at sign-in (all argon2 slots taken) tries again 3 s later, as a person would. One more bank session "
            "uploads a products file through the import page meanwhile, so the data version moves and the "
            "caches refill under load. Latency: rerun request to script finished.\n\n"
            + common.markdown_table(rows, columns))
    errors = [f"- N={r.sessions}: {e}" for r in results for e in r.errors[:5]]
    if errors:
        body += "\n\nErrors (first five per run):\n" + "\n".join(errors)
    common.write_result(out.parent, out.stem, "Load test: concurrent sessions on the real server", common.machine(), body)


if __name__ == "__main__":
    sys.exit(main())
