"""The outputs of `evaluate`, `sla` and `subsidy` on the default-size demo database are the same
whichever way they are reached: the command line with the built-in files or with copies of
them (`--method`, `--policy`), the stored run read back, and the live evaluation written by
the same writer (the live and the stored result are the same tables, compared one by one). A fingerprint (SHA-256) of every output file is compared; nothing is
hard-coded, so the test keeps any two routes from drifting apart.

And they are the outputs of before the redesign (issue 12): `BEFORE` holds the fingerprints that
main at a9707e2 wrote for the same commands on the same demo database (seed 7, until
2026-11-27). A change that moves a figure on purpose updates them, and says so in its commit.

The command line streams its row-level outputs (issue 14: Arrow batches formatted by Arrow
kernels, never a DataFrame); the frames the engine returns, written by the frame writer as the
command line wrote them before, give the same bytes; so do its Parquet files, read back and written
as CSV."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from scoring import bootstrap, runs
from scoring.access import REGULATOR
from scoring.evaluation import evaluate
from scoring.export import write_batches, write_table
from scoring.method import DEFAULT_METHOD, load_method
from scoring.policy import DEFAULT_POLICY, load_policy
from scoring.sla import stage_table
from scoring.subsidy import payment_detail, subsidy_table

pytestmark = pytest.mark.slow  # end to end: the command line in subprocesses on the demo database

ROOT = Path(__file__).resolve().parent.parent
YEAR, AS_OF = "2025", "2026-11-27"
EVALUATION_FILES = ("institutions.csv", "districts.csv")
BEFORE = {  # main a9707e2: python -m scoring evaluate / sla / subsidy on the test demo database
    # changed on purpose by the percentile-rank tie fix (ties share the top rank of their block, R12
    # monotonicity): only the robustness columns, whose re-runs draw percentile rank as one of the
    # alternative normalisations — institutions rank_p05, rank_p95, selection_share; districts
    # median_rank, rank_p05, rank_p95. Scores, ranks, grades, selection and bonus are a9707e2's.
    "institutions.csv": "e84c7e29556d9b74cdbccaf70bf235cc06263e5d29cc0f1944f632d5fa657bdf",
    "districts.csv": "2b6ed1b39582be1d257fa9925e649f12638000d874e309d62d90128a97e0b8a2",
    "sla.csv": "97c423e8621d1adad76fb9a002ed82a52848bfbcfdeef6aa314cecb892bed60b",
    "subsidy.csv": "add50c7ababfb6cadc66394b1a94fc901d8c300e6f3be8e8726f6078556e1c0d",
    "payments.csv": "d75c1a1265a39226dd112f01322e3d4008ca3449b52c4f2e7bd851ec98d114c1",
}


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


def test_outputs_are_those_of_before_the_redesign(copies):
    assert outputs(copies, "now") == BEFORE


def test_the_live_evaluation_and_the_stored_run_write_the_files_the_cli_wrote(copies):
    built_in = {name: value for name, value in outputs(copies, "again").items() if name in EVALUATION_FILES}
    con = bootstrap.connect(copies / "demo.duckdb", demo_if_missing=False)
    try:
        latest = runs.list_runs(con)["run_id"].iloc[0]
        stored = runs.load_run(con, latest)
        live = evaluate(con, int(YEAR))
    finally:
        con.close()
    assert fingerprint(*runs.write_outputs(stored, copies / "stored")[:2]) == built_in
    assert fingerprint(*runs.write_outputs(live, copies / "live")[:2]) == built_in
    for table in ("institution_rows", "district_rows", "indicators", "drop_one"):  # one type, the same tables
        pd.testing.assert_frame_equal(getattr(live, table), getattr(stored, table))


def test_the_streamed_cli_files_are_the_bytes_of_the_engines_frames(copies):
    streamed = {name: value for name, value in outputs(copies, "streamed").items() if name not in EVALUATION_FILES}
    con = bootstrap.connect(copies / "demo.duckdb", demo_if_missing=False)
    try:
        framed = copies / "framed"
        policy = load_policy()
        paths = [write_table(stage_table(con, AS_OF, scope=REGULATOR, week=load_method().sla_week, policy=policy),
                                 framed / "sla.csv"),
                 write_table(subsidy_table(con, int(YEAR), scope=REGULATOR, policy=policy), framed / "subsidy.csv"),
                 write_table(payment_detail(con, int(YEAR), scope=REGULATOR, policy=policy), framed / "payments.csv")]
    finally:
        con.close()
    assert fingerprint(*paths) == streamed and len(streamed) == 3


def test_the_cli_parquet_files_hold_the_rows_of_its_csv_files(copies):
    # the same rows in the same order with the same types: read back and written as CSV, the bytes of before
    database, out = str(copies / "demo.duckdb"), copies / "parquet"
    cli("sla", "--db", database, "--as-of", AS_OF, "--out", str(out / "sla.parquet"))
    cli("subsidy", "--db", database, "--year", YEAR, "--out", str(out / "subsidy.parquet"), "--detail",
        str(out / "payments.parquet"))
    names = ("sla", "subsidy", "payments")
    for name in names:
        write_batches(pq.read_table(out / f"{name}.parquet").to_reader(), out / f"{name}.csv")
    assert fingerprint(*(out / f"{name}.csv" for name in names)) == {f"{n}.csv": BEFORE[f"{n}.csv"] for n in names}
