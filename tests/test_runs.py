"""R12–R13 — stored evaluation runs: reproducible, publishable once, immutable after, written out."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evaluation_fixture as fx
from scoring import bootstrap, db, runs
from scoring.evaluation import evaluate
from scoring.method import DEFAULT_METHOD, load_method
from scoring.period import Period

INSTITUTION_INDICATORS = load_method().registry.ids("institution")

ROOT = Path(__file__).resolve().parent.parent
DRAWS = 100
OUTPUT_COLUMNS = ["inst_id", "name", "peer_group", "score", "rank", "grade", "interview", "selected", "change",
                  "bonus", "median_rank", "rank_p05", "rank_p95", "selection_share"]


@pytest.fixture()
def con():
    con = fx.build()
    yield con
    con.close()


def test_r12_a_stored_run_is_the_evaluation(con):
    run = runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS)
    evaluation = evaluate(con, fx.YEAR, draws=DRAWS)
    assert run.run_id == "E2025-001" and not run.published
    pd.testing.assert_frame_equal(run.institutions, evaluation.institutions, check_dtype=False)
    pd.testing.assert_frame_equal(run.districts, evaluation.districts, check_dtype=False)
    pd.testing.assert_frame_equal(run.drop_one.sort_values(["inst_id", "dropped"]).reset_index(drop=True),
                                  evaluation.drop_one[run.drop_one.columns].sort_values(["inst_id", "dropped"])
                                  .reset_index(drop=True), check_dtype=False)
    assert (run.draws, run.seed, str(run.as_of)) == (DRAWS, 20240510, "2025-12-31")


def test_r12_same_method_same_data_reproduces_exactly(con):
    first = runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS)
    second = runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS)
    assert second.run_id == "E2025-002"
    assert (first.method.sha256, first.run.data_sha256) == (second.method.sha256, second.run.data_sha256)
    pd.testing.assert_frame_equal(first.institutions, second.institutions)  # to the last bit
    pd.testing.assert_frame_equal(first.districts, second.districts)
    pd.testing.assert_frame_equal(first.drop_one, second.drop_one)


def test_r12_method_text_and_hash_are_kept(con):
    text = fx.RELATIVE.read_text(encoding="utf-8").replace("weights = { bank = 12, leasing = 15 }",
                                                               "weights = { bank = 20, leasing = 15 }")
    run = runs.evaluate_and_store(con, fx.YEAR, method_text=text, draws=DRAWS)
    assert run.method.text == text
    assert run.method.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    default = runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS)
    assert default.method.sha256 != run.method.sha256 and default.run.data_sha256 == run.run.data_sha256
    # bank weights now sum to 108: B1's best V1 gives 100 × 20 / 108 points (ratio to best, the relative method)
    assert run.institutions.set_index("inst_id").loc["B1", "V1_contrib"] == pytest.approx(2000 / 108)


def test_r12_data_fingerprint_follows_the_years_data_only(con):
    year_end = Period.of(fx.YEAR, as_of=date(2025, 12, 31))
    before, tables = runs.data_fingerprint(con, year_end)
    assert tables["loans"]["rows"] == len(fx.LOANS) == 42
    con.execute("insert into loans (loan_id, inst_id, ent_id, project_id, kind, amount, rate, lpr, signed_on) "
                "values ('N1', 'B1', ?, 'P1', 'loan', 1000000, 0.03, 0.03, '2026-03-02')", [fx.E1])
    assert runs.data_fingerprint(con, year_end)[0] == before  # a 2026 loan does not touch 2025
    con.execute("update loans set amount = 10000000.01 where loan_id = 'B1-1'")
    assert runs.data_fingerprint(con, year_end)[0] != before  # one fen in 2025 does


def _hashed_columns() -> dict[str, list[str]]:
    """Per table, the columns `runs/data_checksum.sql` hashes, read from the query itself."""
    text = (db.QUERIES / "runs" / "data_checksum.sql").read_text(encoding="utf-8")
    return {table: [c.strip() for c in columns.split(",")]
            for table, columns in re.findall(r"select '(\w+)' as table_name, hash\(([^)]*)\)", text)}


def test_the_data_fingerprint_hashes_every_column_of_every_reported_table(con):
    hashed = _hashed_columns()
    assert set(runs.data_fingerprint(con, Period.of(fx.YEAR))[1]) <= set(hashed)  # a table without rows is left out
    for table, columns in hashed.items():
        if table == "calendar":  # the working days as built (holidays are hashed as reported)
            assert columns == ["day", "working", "provisional"]
            continue
        assert columns == [r[0] for r in con.execute("select column_name from information_schema.columns where "
                                                     "table_name = ? order by ordinal_position", [table]).fetchall()]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["loans", "applications", "projects", "enterprises", "institutions"]), st.data())
def test_the_data_fingerprint_sees_any_changed_cell(con, table, data):
    """A sum of row hashes, no sort, yet any one changed cell of any row changes it."""
    year_end = Period.of(fx.YEAR, as_of=date(2025, 12, 31))
    before = runs.data_fingerprint(con, year_end)[0]
    key, *_ = columns = _hashed_columns()[table]
    column = data.draw(st.sampled_from(columns))
    rows = con.execute(f"select {key}, {column} from {table} order by {key}").fetchall()
    row_key, value = data.draw(st.sampled_from(rows))
    kind = con.execute("select data_type from information_schema.columns where table_name = ? and column_name = ?",
                       [table, column]).fetchone()[0]
    spare = {"VARCHAR": "x", "BOOLEAN": True, "DATE": date(2025, 1, 2)}.get(kind, 1)  # when every row agrees
    others = {v for _, v in rows if v is not None} | {spare}
    changed = data.draw(st.sampled_from(sorted((others | {None}) - {value}, key=str)))
    con.begin()
    try:
        try:
            con.execute(f"update {table} set {column} = ? where {key} = ?", [changed, row_key])
        except duckdb.ConstraintException:  # a value the schema refuses is never stored
            return
        assert runs.data_fingerprint(con, year_end)[0] != before, (table, column, value, changed)
    finally:
        con.rollback()


def test_the_data_fingerprint_does_not_depend_on_the_order_of_rows(con):
    year_end = Period.of(fx.YEAR, as_of=date(2025, 12, 31))
    before = runs.data_fingerprint(con, year_end)[0]
    for table in ("loans", "applications", "projects"):
        con.execute(f"create temp table shuffled as select * from {table} order by {_hashed_columns()[table][0]} desc")
        con.execute(f"delete from {table}")
        con.execute(f"insert into {table} select * from shuffled")
        con.execute("drop table shuffled")
    assert runs.data_fingerprint(con, year_end)[0] == before


def test_r13_publish_writes_next_years_list_and_freezes_the_run(con):
    version = db.data_version(con)
    run = runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS, publish=True)
    assert run.published
    listed = con.execute("select inst_id, source from cooperation where year = 2026 order by inst_id").fetchall()
    assert listed == [(i, "evaluation") for i in ("B1", "B2", "B3", "L1", "L3")]
    assert db.data_version(con) != version  # caches see the new list
    with pytest.raises(runs.RunError, match="已于 .* 发布，不可删除"):
        runs.delete_run(con, run.run_id)
    with pytest.raises(runs.RunError, match="不可发布"):
        runs.publish(con, run.run_id)
    other = runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS)
    with pytest.raises(runs.RunError, match="2025 年度评价已发布（运行 E2025-001），同一年度只能发布一次"):
        runs.publish(con, other.run_id)
    assert runs.load_run(con, run.run_id).published


def test_r13_a_draft_older_than_the_data_cannot_be_published(con):
    run = runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS)
    con.execute("update loans set rate = 0.026 where loan_id = 'B1-2'")
    with pytest.raises(runs.RunError, match="数据已有变更，请重新运行评价后再发布"):
        runs.publish(con, run.run_id)
    assert con.execute("select count(*) from cooperation where year = 2026").fetchone()[0] == 0


def test_r13_publishing_replaces_the_next_years_list(con):
    con.execute("insert into cooperation values (2026, 'B6', 'call')")
    runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS, publish=True)
    assert con.execute("select count(*) from cooperation where year = 2026 and inst_id = 'B6'").fetchone()[0] == 0


def test_r12_a_draft_can_be_deleted_completely(con):
    run = runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS)
    runs.delete_run(con, run.run_id)
    for table in ("evaluation_runs", *runs.RESULT_TABLES):
        assert con.execute(f"select count(*) from {table}").fetchone()[0] == 0, table
    with pytest.raises(runs.RunError, match="评价运行 E2025-001 不存在"):
        runs.load_run(con, run.run_id)


def test_r12_list_runs_newest_first(con):
    runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS, publish=True)
    runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS)
    listed = runs.list_runs(con)
    assert listed["run_id"].tolist() == ["E2025-002", "E2025-001"]
    assert listed["published"].tolist() == [False, True]


def test_r12_outputs_have_the_required_columns(con, tmp_path):
    run = runs.evaluate_and_store(con, fx.YEAR, method_text=fx.RELATIVE.read_text(encoding="utf-8"), draws=DRAWS)
    paths = runs.write_outputs(run, tmp_path / "out")
    assert [p.name for p in paths] == ["institutions.csv", "districts.csv", "evaluation.xlsx"]
    institutions = pd.read_csv(paths[0], encoding="utf-8-sig", dtype={"inst_id": str})
    assert set(OUTPUT_COLUMNS) <= set(institutions.columns)
    assert {f"{i}_contrib" for i in INSTITUTION_INDICATORS} <= set(institutions.columns)
    assert institutions.set_index("inst_id").loc["B1", "score"] == 56.09
    district_table = pd.read_csv(paths[1], encoding="utf-8-sig", dtype={"district_code": str})
    assert {"district_code", "name", "score", "rank", "D1_raw", "D5_raw"} <= set(district_table.columns)
    assert len(district_table) == 41
    # the workbook for people: a sheet per peer group, the district race, the method and fingerprints
    workbook = openpyxl.load_workbook(paths[2])
    assert workbook.sheetnames == ["银行业金融机构", "融资租赁机构", "区县赛马", "评价办法与数据"]
    banks = workbook["银行业金融机构"]
    assert banks.freeze_panes == "A3" and str(run.year) in banks["A1"].value  # a 口径 line, then the header
    header = [c.value for c in banks[2]]
    assert header[:6] == ["名次", "机构名称", "同类机构", "参评状态", "综合得分", "等级"]
    assert not any(h.isascii() and "_" in h for h in header)  # no snake_case column names
    column = {h: i for i, h in enumerate(header)}
    v1 = column["V1 技改专项贷发放金额（亿元）"]
    rows = list(banks.iter_rows(min_row=3, values_only=True))
    first = rows[0]
    assert first[column["名次"]] == 1 and first[column["列入约谈"]] in ("是", "否")
    assert banks.cell(3, v1 + 1).number_format == "#,##0.00"
    assert banks.cell(3, column["S1 “3个1”限时办结达标率（%）"] + 1).number_format == "0.0%"
    # the totals agree with the machine-readable table: ΣV1 of the banks in 亿元
    bank_v1 = institutions.loc[institutions["peer_group"] == "bank", "V1_raw"].sum()
    assert sum(r[v1] or 0 for r in rows) == pytest.approx(bank_v1 / 1e8, abs=1e-6)
    facts = dict(workbook["评价办法与数据"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert facts["评价办法 SHA-256"] == run.method.sha256 and facts["数据指纹 SHA-256"] == run.run.data_sha256


def test_r12_machine_readable_parquet_carries_every_column(con, tmp_path):
    run = runs.evaluate_and_store(con, fx.YEAR, draws=DRAWS)
    paths = runs.write_outputs(run, tmp_path / "out", machine="parquet")
    assert [p.name for p in paths] == ["institutions.parquet", "districts.parquet", "evaluation.xlsx"]
    table = pd.read_parquet(paths[0])
    assert list(table.columns) == list(run.institutions.columns)
    assert table["V1_raw"].sum() == pytest.approx(run.institutions["V1_raw"].sum())


@pytest.mark.slow  # end to end: the command line in a subprocess
def test_r12_cli_evaluate_writes_the_outputs(tmp_path):
    path = tmp_path / "small.duckdb"
    fx.build(bootstrap.connect(path, demo_if_missing=False)).close()
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "scoring", "evaluate", "--db", str(path), "--year", "2025",
                           "--out", str(out), "--draws", "50", "--publish"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "评价运行 E2025-001（2025 年），已发布" in done.stdout
    assert {p.name for p in out.iterdir()} == {"institutions.csv", "districts.csv", "evaluation.xlsx"}
    con = bootstrap.connect(path)
    assert con.execute("select count(*) from cooperation where year = 2026").fetchone()[0] == 5
    con.close()
