"""Which database file the app and the CLI open, and why they may not: fail closed.

- No setting at all (neither `--db` nor `$JIGAI_DB`): the embedded demo `data/demo.duckdb`,
  built with the public demo accounts on first use — what the README's first command starts.
- A file named by `--db` or `$JIGAI_DB` must exist: a typo must never turn into a fresh demo
  database with public passwords. `python -m scoring init` creates one.
- DuckDB lets one process hold a file. When another holds it (normally the running app), the
  refusal says in Chinese who holds it and what to do; `wait` retries for a while first.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import duckdb

from scoring import bootstrap, db

BUSY_EXIT = 3  # the CLI's exit code when another process holds the database
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")


class Unavailable(Exception):
    """The database cannot be opened; the message says why and what to do, in Chinese."""

    def __init__(self, message: str, busy: bool = False):
        super().__init__(message)
        self.busy = busy


def target(path: str | Path | None) -> tuple[str, bool]:
    """The file to open and whether it was named explicitly (`path`, else `$JIGAI_DB`)."""
    if path is not None:
        return str(path), True
    named = os.environ.get(db.DB_ENV)
    return (named, True) if named else (str(db.DEFAULT_DB), False)


def open_database(path: str | Path | None = None, wait: float = 0, create: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database a command or the app works on (see the module's rules); `create`
    (`python -m scoring init`) makes a missing file, without demo data."""
    name, explicit = target(path)
    missing = name != ":memory:" and not Path(name).exists()
    if missing and explicit and not create:
        source = "--db" if path is not None else f"环境变量 {db.DB_ENV}"
        raise Unavailable(f"数据库文件不存在：{name}（由 {source} 指定）。不会自动创建，以免用演示账号打开一个空库；"
                          f"请检查路径，或先运行 python -m scoring init --db {name} 创建。")
    deadline = time.monotonic() + wait
    while True:
        try:
            return bootstrap.connect(name, demo_if_missing=not (explicit or create))
        except duckdb.IOException as error:
            holder = holder_of(str(error))
            if holder is None:
                raise Unavailable(f"无法打开数据库 {name}：{error}") from None
            if time.monotonic() >= deadline:
                raise Unavailable(busy_message(name, holder, wait), busy=True) from None
            time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))


def holder_of(message: str) -> str | None:
    """Who holds the file lock, in words, from DuckDB's lock error; None for other errors."""
    found = _HOLDER.search(message)
    if found is None:
        return None
    pid = found["pid"]
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        command = found["program"]
    what = "平台（streamlit）" if "streamlit" in command else "另一个程序"
    return f"{what}，进程号 {pid}（{command[:120]}）"


def busy_message(name: str, holder: str, waited: float) -> str:
    waited_text = f"已等待 {waited:g} 秒，" if waited else ""
    return (f"数据库 {name} 正被{holder}占用，{waited_text}命令行无法同时打开（DuckDB 同一时刻只允许一个进程打开数据库文件）。"
            "平台运行期间：导入请在平台“数据导入”页上传，导出请在相应页面下载；"
            "或在平台空闲时停止它后再运行本命令，也可加 --wait 秒数 等待数据库空出。")
