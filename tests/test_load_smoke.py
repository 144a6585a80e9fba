"""The load test (bench/load_test.py) at its smallest: one bank session against the real
server on loopback signs in, renders its pages twice, while a second one imports through the
upload page — no errors (issue 8 item 9; the figures are measured in bench/, not here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ui import nav

ROOT = Path(__file__).resolve().parent.parent


def test_one_session_and_an_import_over_the_websocket_protocol(demo_path, tmp_path):
    source = tmp_path / "src.duckdb"
    shutil.copy(demo_path, source)
    out = tmp_path / "load_test.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load_test.py"), "--sessions", "1", "--port", "8615", "--db",
         str(source), "--deadline", "240", "--import-rows", "20", "--think", "0", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    table = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| 1 |")]
    assert len(table) == 1
    cells = [c.strip() for c in table[0].strip("|").split("|")]
    assert int(cells[2]) == 2 * len(nav.pages_of("institution")), "a bank's pages, each rendered twice"
    assert cells[11] == "0", "no errors"
    assert cells[9] != "—", "the import ran and was timed"
