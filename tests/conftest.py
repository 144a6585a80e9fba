"""Shared fixtures. Tests never touch data/demo.duckdb: each builds its own database."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from datetime import date

import duckdb
import pytest

import evaluation_fixture
from scoring import bootstrap

# Cache the bytecode of the test modules (as pytest rewrote them) and of the project's modules, as Python does by
# default: in a shell with PYTHONDONTWRITEBYTECODE set (this machine's) every run compiled them all again, about
# 4 s of CPU in each process (each xdist worker collects every module). __pycache__ is ignored by git.
sys.dont_write_bytecode = False
os.environ.setdefault("JIGAI_WARM", "0")  # no background cache warm-up (ui/warm.py) in page tests
# no subsidy items shared across tests (scoring.shared): fixtures write rows without a new data version;
# tests/test_shared.py switches sharing on for itself
os.environ.setdefault("JIGAI_SHARE", "0")

# The demo database the tests share: fixed seed and end day, so numbers are stable.
DEMO_SEED = 7
DEMO_UNTIL = date(2026, 11, 27)


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory):
    """A default-size demo database file of this process, built once per test run: under xdist by the first
    worker that asks, into the run's shared directory, and copied by the others (building it takes seconds of
    CPU, a copy milliseconds; each worker keeps a file of its own, which tests may open for writing)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    if "PYTEST_XDIST_WORKER" not in os.environ:
        _build_demo(path)
        return path
    built = tmp_path_factory.getbasetemp().parent / "demo.duckdb"  # the workers' basetemps sit in the run's own
    with open(built.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the lock file closes
        if not built.exists():
            _build_demo(built.with_suffix(".building"))
            os.replace(built.with_suffix(".building"), built)  # a failed build leaves no file to copy
        shutil.copy(built, path)
    return path


def _build_demo(path):
    con = bootstrap.connect(path, demo_if_missing=False)
    bootstrap.create_demo(con, seed=DEMO_SEED, until=DEMO_UNTIL)
    con.close()


@pytest.fixture(scope="module")
def demo_copy(demo_path, tmp_path_factory):
    """(path, open connection) of a module's own copy of the demo database, free to write."""
    path = tmp_path_factory.mktemp("demo-copy") / "demo.duckdb"
    path.write_bytes(demo_path.read_bytes())
    con = bootstrap.connect(path)
    yield path, con
    con.close()


@pytest.fixture(scope="session")
def empty_path(tmp_path_factory):
    """A new database file (schema, reference data, calendar), built once per test session."""
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    bootstrap.connect(path, demo_if_missing=False).close()
    return path


@pytest.fixture()
def empty_con(empty_path, copy_of):
    """A fresh database with the schema, reference data and calendar, no reported rows: this test's copy of
    the file `empty_path` (copying the file is cheaper than building the schema and the calendar again, and
    about half the CPU of copying the database into memory)."""
    return copy_of(empty_path)


@pytest.fixture(scope="module")
def con():
    """The hand-worked evaluation fixture (tests/evaluation_fixture.py), one database per test
    module; modules with a database of their own define their own `con`."""
    connection = evaluation_fixture.build()
    yield connection
    connection.close()


@pytest.fixture()
def copy_of(tmp_path):
    """`copy_of(path)`: an open connection to this test's own copy of the database file `path` — a module
    builds its database once (through `bootstrap.connect`) and each test writing to it gets a copy (a file
    copy is far cheaper than importing or evaluating again; the copy has its schema, so it is opened as is)."""
    opened = []

    def open_copy(path):
        target = tmp_path / f"copy-{len(opened)}-{path.name}"
        shutil.copy(path, target)
        opened.append(duckdb.connect(str(target)))
        return opened[-1]
    yield open_copy
    for connection in opened:
        connection.close()
