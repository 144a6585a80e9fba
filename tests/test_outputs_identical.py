"""The outputs of `evaluate`, `sla` and `subsidy` on the default-size demo database are the same
whichever way they are reached: the command line with the built-in files or with copies of
them (`--method`, `--policy`), the stored run read back, and the live evaluation written by
the same writer. A fingerprint (SHA-256) of every output file is compared; nothing is
hard-coded, so the test keeps any two routes from drifting apart."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import db, runs
from scoring.method import DEFAULT_METHOD
from scoring.policy import DEFAULT_POLICY

ROOT = Path(__file__).resolve().parent.parent
YEAR, AS_OF = "2025", "2026-11-27"
EVALUATION_FILES = ("institutions.csv", "districts.csv")


def fingerprint(*paths: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


def cli(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True, text=True, cwd=ROOT,
                          check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def copies(demo_path, tmp_path_factory):
    """A private copy of the demo database and copies of the built-in method and policy files."""
    folder = tmp_path_factory.mktemp("identical")
    shutil.copy(demo_path, folder / "demo.duckdb")
    shutil.copy(DEFAULT_METHOD, folder / "method.toml")
    shutil.copy(DEFAULT_POLICY, folder / "policy.toml")
    return folder


def outputs(folder: Path, name: str, *files: str) -> dict[str, str]:
    """Fingerprints of evaluate, sla and subsidy written by the CLI into `folder / name`."""
    out = folder / name
    database = str(folder / "demo.duckdb")
    cli("evaluate", "--db", database, "--year", YEAR, "--out", str(out / "eval"), *files)
    policy = [f for f in files if f.endswith("policy.toml")]
    policy_flag = ["--policy", *policy] if policy else []
    cli("sla", "--db", database, "--as-of", AS_OF, "--out", str(out / "sla.csv"), *policy_flag)
    cli("subsidy", "--db", database, "--year", YEAR, "--out", str(out / "subsidy.csv"), "--detail",
        str(out / "payments.csv"), *policy_flag)
    return fingerprint(*(out / "eval" / f for f in EVALUATION_FILES), out / "sla.csv", out / "subsidy.csv",
                       out / "payments.csv")


def test_built_in_files_and_their_copies_give_identical_outputs(copies):
    built_in = outputs(copies, "built_in")
    copied = outputs(copies, "copied", "--method", str(copies / "method.toml"), "--policy",
                     str(copies / "policy.toml"))
    assert copied == built_in and len(built_in) == 5


def test_a_stored_run_read_back_writes_the_files_the_cli_wrote(copies):
    built_in = outputs(copies, "again")
    con = db.connect(copies / "demo.duckdb", demo_if_missing=False)
    try:
        latest = runs.list_runs(con)["run_id"].iloc[0]
        stored = runs.write_outputs(runs.load_run(con, latest), copies / "stored")
    finally:
        con.close()
    assert fingerprint(*stored[:2]) == {name: built_in[name] for name in EVALUATION_FILES}
