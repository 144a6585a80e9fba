"""What importing the engine sets for the whole process (scoring/__init__.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ASKS_FOR_HUGE_PAGES = "import scoring, numpy as np; print(np._core.multiarray._get_madvise_hugepage())"


@pytest.mark.parametrize(("setting", "expected"), [(None, "False"), ("1", "True"), ("0", "False")])
def test_numpy_asks_for_huge_pages_only_when_the_environment_says_so(setting, expected):
    """Unset, the engine turns numpy's huge-page advice off (compaction stalls at 3 M loans); an explicit
    NUMPY_MADVISE_HUGEPAGE is the operator's choice and stays."""
    env = {key: value for key, value in os.environ.items() if key != "NUMPY_MADVISE_HUGEPAGE"}
    if setting is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = setting
    done = subprocess.run([sys.executable, "-c", ASKS_FOR_HUGE_PAGES], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected
