"""The subsidy items built once per data version and shared (issue 14, `scoring.shared`): a second
consumer reads the first one's result, a new data version is rebuilt, and every reader's scope still
filters the shared rows in SQL (`scoped_subsidy_items`, `scoped_payments`). The monthly races and the
year-end projection are also kept in the database (issue 10, cold pages): a later process reads
them unchanged, a new data version replaces them, and each scope still sees only its own rows."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import threading
from dataclasses import fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import DEMO_SEED, DEMO_UNTIL
from streamlit.testing.v1 import AppTest

from scoring import (auth, bootstrap, budget, cli, dashboard, db, digest, disbursement, districts, engine, evaluation,
                     forecast, importer, published, quality, race, runs, shared, sla, subsidy)
from scoring.access import REGULATOR, Scope
from scoring.engine.backend import BOOKS
from scoring.method import load_method
from scoring.period import Period
from scoring.policy import load_policy

POLICY = load_policy()
YEAR = 2025
BANK = Scope("institution", inst_id="B01")
DISTRICT = Scope("district", district_code="500191")


@pytest.fixture()
def sharing(demo_copy):
    """The module's demo copy with sharing on and nothing shared yet; off again afterwards."""
    _, con = demo_copy
    shared.clear()
    shared.enable()
    drop_kept_books(con)  # the books an import keeps in the file are tested on their own (below)
    yield con
    shared.enable(False)
    shared.clear()


def built() -> int:
    return shared.builds.get("subsidy", 0)


def test_the_command_line_reads_the_items_the_file_keeps_and_builds_its_own_where_none_are(sharing, tmp_path,
                                                                                           monkeypatch):
    """`subsidy` on the command line keeps nothing (a first run would pay for the writes) but reads the year's
    items where an import or a page kept them: the same files either way. Another engine finds nothing kept."""
    db.bump_data_version(sharing)  # a data version with nothing kept yet
    shared.enable(False)  # the command line does not share
    calls = []
    build_all = subsidy._build_all
    monkeypatch.setattr(subsidy, "_build_all", lambda *args: (calls.append(args), build_all(*args)))

    def files(name: str) -> tuple[subsidy.Written, bytes, bytes]:
        table, payments = tmp_path / f"{name}.csv", tmp_path / f"{name}_payments.csv"
        written = subsidy.write_files(sharing, YEAR, table, payments, scope=REGULATOR, policy=POLICY)
        return written, table.read_bytes(), payments.read_bytes()

    built = files("built")
    assert len(calls) == 1
    shared.enable()
    subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY)  # a page keeps the items in the file
    shared.enable(False)
    shared.clear()  # as a new process
    calls.clear()
    read = files("read")
    assert calls == [] and read[1:] == built[1:] and read[0].rows == built[0].rows > 0
    assert read[0].detail_rows == built[0].detail_rows > 0 and read[0].run_id != built[0].run_id
    spark = engine.Session(SimpleNamespace())  # another engine's session (Spark reads Parquet files)
    assert shared.found(spark, "subsidy", (YEAR, POLICY.sha256), subsidy.SHARED, reported=True) is None
    db.bump_data_version(sharing)  # the module's later tests start from a version with nothing kept


def test_the_command_line_lists_the_stages_the_file_keeps_for_its_day(sharing, tmp_path):
    """`sla` on the command line reads the stages judged on its as-of day where a page (or an import) kept
    them: the same file, and it is the kept table that is read (a kept row changed shows in the listing)."""
    day, week = date(2026, 11, 27), load_method().sla_week
    db.bump_data_version(sharing)  # a data version with nothing kept yet
    shared.enable(False)  # the command line does not share

    def listing(name: str) -> list[str]:
        sla.write_stage_table(sharing, day, tmp_path / f"{name}.csv", REGULATOR, week=week, policy=POLICY)
        return (tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()

    judged = listing("judged")
    shared.enable()
    with engine.session(sharing) as session:
        params = sla.prepare(session, day, week=week, policy=POLICY)  # a page keeps them in the file
    shared.enable(False)
    shared.clear()  # as a new process
    assert listing("read") == judged and len(judged) > 1
    kept = shared.found(sharing, "sla/stages", sla._stages_key(params, week, POLICY), ("sla_stages",),
                        reported=True)["sla_stages"]
    first = judged[1].split(",")[0]
    sharing.execute(f"update {kept} set working_days_used = 999 where app_id = ?", [first])
    changed = [line for line, before in zip(listing("changed"), judged, strict=True) if line != before]
    assert changed and all(line.startswith(first + ",") and ",999," in line for line in changed)
    db.bump_data_version(sharing)  # the module's later tests start from a version with nothing kept


def test_an_evaluation_reads_the_loans_and_stages_the_file_keeps_for_its_period(sharing):
    """`evaluate` on the command line (sharing off) reads the 技改专项贷 to its cut-off and the stages judged on its
    as-of day where an import or a page kept them: the same evaluation, and it is the kept tables that are read
    (a bank's kept loans and stages removed on purpose show in its V1 and S1)."""
    period, method = Period.of(YEAR), load_method()
    db.bump_data_version(sharing)  # a data version with nothing kept yet
    shared.enable(False)  # the command line does not share

    def evaluated() -> tuple[pd.DataFrame, pd.DataFrame]:
        result = evaluation.evaluate(sharing, period, method, draws=0, policy=POLICY)
        return result.institutions.set_index("inst_id"), result.districts

    built, built_districts = evaluated()
    shared.enable()
    with engine.session(sharing) as session:  # a page keeps them in the file
        dashboard.prepare_eval_loans(session, period.until)
        params = sla.prepare(session, period.as_of, week=method.sla_week, policy=POLICY)
    shared.enable(False)
    shared.clear()  # as a new process
    read, read_districts = evaluated()
    pd.testing.assert_frame_equal(read, built)
    pd.testing.assert_frame_equal(read_districts, built_districts)
    loans = shared.found(sharing, "eval_loans", (period.until.isoformat(),), ("eval_loans",), reported=True)
    stages = shared.found(sharing, "sla/stages", sla._stages_key(params, method.sla_week, POLICY), ("sla_stages",),
                          reported=True)
    assert built.loc["B01", "V1_raw"] > 0 and built.loc["B01", "S1_raw"] > 0
    for table in (loans["eval_loans"], stages["sla_stages"]):
        sharing.execute(f"delete from {table} where inst_id = 'B01'")
    changed = evaluated()[0]
    assert changed.loc["B01", "V1_raw"] == 0 and pd.isna(changed.loc["B01", "S1_raw"])
    assert changed.loc["B02", "V1_raw"] == built.loc["B02", "V1_raw"]
    db.bump_data_version(sharing)  # the module's later tests start from a version with nothing kept


def annual_job_inputs_kept(con, year: int) -> list[bool]:
    """Whether the file keeps, for the data as they stand, each of what the annual job of the closed `year` reads
    (`importer.keep_annual_job_inputs`): the year's subsidy items, its 技改专项贷 to 31 December, the stages of the
    data's last day and those judged on 31 December."""
    as_of, period, week = dashboard.data_window(con).clamp(date.today()), Period.of(year), load_method().sla_week
    return [shared.found(con, "subsidy", subsidy._items_key(year, POLICY), subsidy.SHARED, reported=True),
            shared.found(con, "eval_loans", (period.until.isoformat(),), ("eval_loans",), reported=True)] + [
        shared.found(con, "sla/stages", sla._stages_key(sla.stage_params(day, week=week, policy=POLICY), week, POLICY),
                     ("sla_stages",), reported=True)
        for day in (as_of, period.as_of)]


def test_a_demo_built_to_publish_keeps_what_the_annual_job_reads_and_the_commands_write_the_same(tmp_path):
    """`init --demo` keeps what the annual job of the year it publishes reads, as an import keeps it
    (`importer.keep_annual_job_inputs`): the stages of the data's last day, the year's subsidy items, its
    技改专项贷 to 31 December and the stages judged then. `sla`, `subsidy --detail` and `evaluate` read them and write
    the same files as on the same file with nothing kept."""
    path, year = tmp_path / "demo.duckdb", DEMO_UNTIL.year - 1
    con = bootstrap.connect(path, demo_if_missing=False)
    bootstrap.create_demo(con, seed=DEMO_SEED, until=DEMO_UNTIL, publish=True)
    as_of = dashboard.data_window(con).clamp(date.today())
    assert all(annual_job_inputs_kept(con, year))
    con.close()
    bare = tmp_path / "bare.duckdb"
    shutil.copy(path, bare)
    with duckdb.connect(str(bare)) as other:
        db.bump_data_version(other)  # the same rows as a new data version, which nothing is kept for
        assert not any(annual_job_inputs_kept(other, year))

    def written(database: Path) -> list[bytes]:
        out = tmp_path / database.stem
        for command in (["sla", "--as-of", as_of.isoformat(), "--out", str(out / "sla.csv")],
                        ["subsidy", "--year", str(year), "--out", str(out / "subsidy.csv"), "--detail",
                         str(out / "payments.csv")],
                        ["evaluate", "--year", str(year), "--out", str(out / "eval"), "--draws", "50"]):
            assert cli.main([*command, "--db", str(database)]) == 0
        return [(out / name).read_bytes() for name in ("sla.csv", "subsidy.csv", "payments.csv",
                                                         "eval/institutions.csv", "eval/districts.csv")]

    files = written(path)
    assert files == written(bare) and all(len(f.splitlines()) > 1 for f in files)


def test_the_warm_up_keeps_again_what_the_annual_job_reads_where_the_file_no_longer_holds_it(demo_path, tmp_path,
                                                                                               monkeypatch):
    """A file whose kept results are of the product before an upgrade (here: the same rows as a new data version,
    which nothing is kept for) gets again, from the app's warm-up, what the annual job of the closed year reads;
    where it is kept, the warm-up only finds it."""
    from ui import data, warm
    path, year = tmp_path / "warm.duckdb", DEMO_UNTIL.year - 1
    shutil.copyfile(demo_path, path)  # the app keeps its connection open: not the file other tests read
    with duckdb.connect(str(path)) as other:
        db.bump_data_version(other)
        assert not any(annual_job_inputs_kept(other, year))
    monkeypatch.setenv(db.DB_ENV, str(path))
    for loader in ("load", "load_shared"):  # the pages' own share of the warm-up: test_dashboard_views
        monkeypatch.setattr(data, loader, lambda *args, **kwargs: None)
    assert warm.warm_up()
    with data.cursor() as cur:
        assert all(annual_job_inputs_kept(cur, year))
        tables = len(cur.sql("select * from duckdb_tables()").fetchall())
    assert warm.warm_up()
    with data.cursor() as cur:  # kept once: a second warm-up of the same data version writes nothing more
        assert len(cur.sql("select * from duckdb_tables()").fetchall()) == tables


def test_every_consumer_of_a_year_reads_one_build(sharing):
    before = built()
    disbursement.overview(sharing, YEAR, scope=REGULATOR, policy=POLICY)  # kinds, districts, …: 5 readers
    disbursement.plan(sharing, YEAR, None, None, scope=REGULATOR, policy=POLICY)
    subsidy.subsidy_table(sharing, YEAR, scope=BANK, policy=POLICY)  # another scope reads the same build
    assert built() == before + 1
    subsidy.subsidy_table(sharing, YEAR - 1, scope=REGULATOR, policy=POLICY)  # another year is its own
    assert built() == before + 2


def test_a_new_data_version_is_built_again(sharing):
    subsidy.totals_by_institution(sharing, YEAR, scope=REGULATOR, policy=POLICY)
    before = built()
    db.bump_data_version(sharing)
    subsidy.totals_by_institution(sharing, YEAR, scope=REGULATOR, policy=POLICY)
    assert built() == before + 1


@pytest.mark.parametrize("scope", [REGULATOR, BANK, DISTRICT], ids=lambda s: s.key)
def test_shared_results_equal_the_unshared_ones(sharing, scope):
    readers = [
        lambda: subsidy.subsidy_table(sharing, YEAR, scope=scope, policy=POLICY),
        lambda: subsidy.payment_detail(sharing, YEAR, scope=scope, policy=POLICY),
        lambda: subsidy.totals_by_institution(sharing, YEAR, scope=scope, policy=POLICY),
        lambda: subsidy.payment_queue(sharing, YEAR, 1_000_000, None, scope=scope, policy=POLICY),
    ]
    with_sharing = [read() for read in readers]
    shared.enable(False)
    for first, read in zip(with_sharing, readers, strict=True):
        pd.testing.assert_frame_equal(first, read())


def test_a_banks_view_of_the_shared_items_holds_only_its_own_rows(sharing):
    everyone = subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY)  # builds over all rows
    assert everyone["inst_id"].nunique() > 1
    before = built()
    items = subsidy.subsidy_table(sharing, YEAR, scope=BANK, policy=POLICY)
    payments = subsidy.payment_detail(sharing, YEAR, scope=BANK, policy=POLICY)
    queue = subsidy.payment_queue(sharing, YEAR, scope=BANK, policy=POLICY)
    assert built() == before  # read from the shared build, not rebuilt for the bank
    assert len(items) and set(items["inst_id"]) == {"B01"}
    assert len(payments) and set(payments["inst_id"]) == {"B01"}
    assert set(queue["loan_id"]) <= set(payments["loan_id"])
    own = everyone[everyone["inst_id"] == "B01"].reset_index(drop=True)
    pd.testing.assert_frame_equal(items.reset_index(drop=True), own)


# --- results kept in the database per data version (`keep=True`) ------------------------------

METHOD = load_method()
RUNNING = date(2025, 9, 30)  # an as-of day while the year runs: the pages show the projection


def kept_rows(con) -> pd.DataFrame:
    return engine.query(con, "shared/stored_all", scope=None)


@pytest.mark.slow  # the race: twelve evaluations per month series
def test_a_kept_race_is_read_back_by_a_later_process_unchanged(sharing):
    computed = race.monthly_scores(sharing, YEAR, method=METHOD, policy=POLICY, scope=REGULATOR)
    districts = race.monthly_district_ranks(sharing, YEAR, method=METHOD, policy=POLICY)
    assert {"race/monthly_scores", "race/monthly_district_ranks"} <= set(kept_rows(sharing)["name"])
    shared.clear()  # a new process: nothing in memory, the rows in the file
    with patch.object(race, "institution_scores_at", side_effect=AssertionError("computed again")), \
            patch.object(race.districts, "district_indicators_at", side_effect=AssertionError("computed again")):
        read = race.monthly_scores(sharing, YEAR, method=METHOD, policy=POLICY, scope=REGULATOR)
        read_districts = race.monthly_district_ranks(sharing, YEAR, method=METHOD, policy=POLICY)
    pd.testing.assert_frame_equal(read, computed)
    pd.testing.assert_frame_equal(read_districts, districts)
    shared.enable(False)  # and both equal what is computed without sharing
    pd.testing.assert_frame_equal(race.monthly_scores(sharing, YEAR, method=METHOD, policy=POLICY, scope=REGULATOR),
                                  computed)
    pd.testing.assert_frame_equal(race.monthly_district_ranks(sharing, YEAR, method=METHOD, policy=POLICY), districts)


@pytest.mark.slow  # the race: twelve evaluations per month series
def test_a_bank_reads_only_its_own_rows_of_the_kept_race(sharing):
    everyone = race.monthly_scores(sharing, YEAR, method=METHOD, policy=POLICY, scope=REGULATOR)
    assert everyone["inst_id"].nunique() > 1
    shared.clear()
    own = race.monthly_scores(sharing, YEAR, method=METHOD, policy=POLICY, scope=BANK)
    assert len(own) and set(own["inst_id"]) == {"B01"}
    pd.testing.assert_frame_equal(own, everyone[everyone["inst_id"] == "B01"].reset_index(drop=True))


@pytest.mark.slow  # three projections per scope
@pytest.mark.parametrize("scope", [REGULATOR, BANK, DISTRICT], ids=lambda s: s.key)
def test_a_kept_projection_equals_the_computed_one_in_every_scope(sharing, scope):
    def view():
        return forecast.view(sharing, YEAR, RUNNING, scope=scope, method=METHOD, policy=POLICY, draws=3)

    computed = view()
    shared.clear()
    with patch.object(forecast, "forecast", side_effect=AssertionError("computed again")):
        read = view()
    shared.enable(False)
    plain = view()
    for one in (computed, read):
        pd.testing.assert_frame_equal(one.institutions, plain.institutions)
        pd.testing.assert_frame_equal(one.districts, plain.districts)
        assert (one.pace_text, one.interval_text) == (plain.pace_text, plain.interval_text)
    if scope == BANK:
        assert set(read.institutions["inst_id"]) == {"B01"} and read.districts.empty


@pytest.mark.slow  # the race: twelve evaluations per month series
def test_a_new_data_version_replaces_the_kept_results(sharing):
    race.monthly_district_ranks(sharing, YEAR, method=METHOD, policy=POLICY)
    old = set(kept_rows(sharing)["data_version"])
    db.bump_data_version(sharing)
    shared.clear()
    with patch.object(race, "_all_monthly_district_ranks", wraps=race._all_monthly_district_ranks) as compute:
        race.monthly_district_ranks(sharing, YEAR, method=METHOD, policy=POLICY)
    assert compute.call_count == 1  # the kept rows of the old version are not read
    assert set(kept_rows(sharing)["data_version"]) == {db.data_version(sharing)} != old  # and are gone


@pytest.mark.slow  # the race: twelve evaluations per month series
def test_a_database_that_cannot_keep_a_result_still_answers(sharing):
    computed = race.monthly_district_ranks(sharing, YEAR, method=METHOD, policy=POLICY)
    shared.forget(sharing)
    with patch.object(shared.engine, "execute", side_effect=duckdb.TransactionException("conflict")):
        answered = race.monthly_district_ranks(sharing, YEAR, method=METHOD, policy=POLICY)
    pd.testing.assert_frame_equal(answered, computed)
    assert kept_rows(sharing).empty


def test_the_digest_s_race_at_the_last_digest_is_kept_and_read_back(sharing):
    """`forecast.race_to_date` (every regulator's and district's 今日提醒 panel) is kept per data version:
    a later process reads it without scoring the districts again, and it equals the unshared result."""
    computed = forecast.race_to_date(sharing, YEAR, RUNNING, METHOD, POLICY)
    assert "forecast/race_to_date" in set(kept_rows(sharing)["name"])
    shared.clear()
    with patch.object(forecast.districts, "district_indicators_at", side_effect=AssertionError("computed again")):
        read = forecast.race_to_date(sharing, YEAR, RUNNING, METHOD, POLICY)
    shared.enable(False)
    plain = forecast.race_to_date(sharing, YEAR, RUNNING, METHOD, POLICY)
    pd.testing.assert_frame_equal(read, computed)
    pd.testing.assert_frame_equal(plain, computed)
    assert len(plain) == 41 and sorted(plain["rank_to_date"]) == list(range(1, 42))


@pytest.mark.slow  # a projection of the demo
def test_the_day_s_digest_facts_are_kept_and_read_back_unchanged(sharing):
    """`digest.day_facts` (every role's 今日提醒 panel) keeps everyone's facts per data version and day:
    a later process reads every list back without gathering, and each scope's rows, picked from the
    kept Arrow tables, equal the unshared facts narrowed as the morning files are, types included
    (days, decimals, blanks)."""
    day = date(2026, 11, 27)  # the demo's last day
    scopes = (REGULATOR, Scope("institution", inst_id="B09"), DISTRICT)
    computed = digest.day_facts(sharing, day, REGULATOR)
    assert "digest/day_facts" in set(kept_rows(sharing)["name"])
    shared.clear()
    with patch.object(digest, "gather", side_effect=AssertionError("gathered again")):
        read = {scope: digest.day_facts(sharing, day, scope) for scope in scopes}
    shared.enable(False)
    plain = digest.gather(sharing, day, REGULATOR, draws=0)
    assert len(plain.due) and len(plain.unfinanced) and len(plain.findings)  # lists with rows were kept
    for scope in scopes:
        for name in [f.name for f in fields(digest.Facts)]:
            expected = getattr(plain.within(scope), name)
            pd.testing.assert_frame_equal(getattr(read[scope], name), expected, obj=f"{scope.key} {name}")
            if scope == REGULATOR:
                pd.testing.assert_frame_equal(getattr(computed, name), expected, obj=name)
    assert len(read[DISTRICT].unfinanced) and set(read[DISTRICT].unfinanced["district_code"]) == {"500191"}
    assert set(read[scopes[1]].findings["inst_id"]) == {"B09"} and read[scopes[1]].unfinanced.empty


@pytest.mark.parametrize("scope", [REGULATOR, Scope("institution", inst_id="B09")], ids=lambda s: s.key)
def test_kept_data_quality_findings_are_each_scope_s_own(sharing, scope):
    """`quality.findings` is kept per data version and scope: a later process reads the scope's own
    rows back, and they equal what is computed without sharing."""
    year = 2026  # the demo's year with findings of every kind of rule
    computed = quality.findings(sharing, year, scope, POLICY)
    shared.clear()
    with patch.object(quality, "_findings", side_effect=AssertionError("computed again")):
        read = quality.findings(sharing, year, scope, POLICY)
    shared.enable(False)
    plain = quality.findings(sharing, year, scope, POLICY)
    pd.testing.assert_frame_equal(read, plain)
    pd.testing.assert_frame_equal(computed, plain)
    everyone = quality.findings(sharing, year, REGULATOR, POLICY)
    if scope.inst_id:  # B09 has findings of its own in the demo's 2026
        assert len(everyone) > len(plain) > 0 and set(plain["inst_id"]) == {scope.inst_id}
    else:
        assert len(plain) > 0


# --- large results kept as tables of the database (`stored`) ----------------------------------


def kept_tables(con) -> pd.DataFrame:
    return engine.query(con, "shared/tables_all", scope=None)


def database_tables(con) -> set[str]:
    return {name for (name,) in con.execute("select table_name from duckdb_tables() where table_name like 'kept_%' "
                                            "and database_name = current_database()").fetchall()}


def test_the_subsidy_items_are_kept_as_tables_a_later_process_reads(sharing):
    """The year's subsidy items over all rows are kept in the file (`shared.stored`): a later process
    reads them without running the subsidy pass, every scope gets the same rows as without sharing,
    and the tables are the ones recorded in shared_tables."""
    shared.forget(sharing)  # nothing kept by the module's earlier tests
    computed = subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY)
    kept = kept_tables(sharing)
    assert set(kept["part"]) == set(subsidy.SHARED) == {"guarantee_and_policy_items", "payment_subsidies",
                                                        "project_subsidies"}  # the queue order only when asked for
    subsidy.payment_queue_table(sharing, YEAR, scope=REGULATOR, policy=POLICY)
    kept = kept_tables(sharing)
    assert set(kept["part"]) == {*subsidy.SHARED, "queue_order"}
    assert set(kept.query("part == 'queue_order'")["name"]) == {"subsidy/queue"}
    assert set(kept["table_name"]) <= database_tables(sharing)
    shared.clear()  # a new process: nothing in memory, the tables in the file
    budget = Decimal("5000000")
    with patch.object(subsidy, "_build_all", side_effect=AssertionError("computed again")):
        read = subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY)
        bank = subsidy.payment_detail(sharing, YEAR, scope=BANK, policy=POLICY)
        queue = subsidy.payment_queue_table(sharing, YEAR, budget, scope=BANK, policy=POLICY)  # the kept order
    shared.enable(False)
    pd.testing.assert_frame_equal(read, computed)
    pd.testing.assert_frame_equal(bank, subsidy.payment_detail(sharing, YEAR, scope=BANK, policy=POLICY))
    assert queue.equals(subsidy.payment_queue_table(sharing, YEAR, budget, scope=BANK, policy=POLICY))
    assert {"paid", "waiting"} <= set(queue["status"].to_pylist())  # the budget runs out within the bank's claims
    assert len(bank) and set(bank["inst_id"]) == {"B01"}


def test_the_budget_baseline_is_kept_and_a_variant_is_not(sharing):
    """贴息预算模拟 sums the current rules' subsidy per project and kind once per data version, in the
    file (`budget.project_kinds`); a later process reads it, with the same simulation as without
    sharing. A variant that changes a rule is summed in its session and keeps nothing."""
    unchanged, changed = budget.load_variant(None), budget.load_variant("[caps]\nloan = 1_000_000\n")
    budget.summary(sharing, YEAR, unchanged)  # as the warm-up does
    sums = kept_tables(sharing).query("name == 'budget/project_kinds'")
    assert len(sums) == 1 and set(sums["table_name"]) <= database_tables(sharing)
    with patch.object(shared, "_store", side_effect=AssertionError("summed again")):
        first = budget.simulation(sharing, YEAR, unchanged)  # reads the warm-up's sums
    shared.clear()  # a new process
    with patch.object(budget, "prepare", wraps=budget.prepare), \
            patch.object(shared, "_store", side_effect=AssertionError("summed again")):
        again = budget.simulation(sharing, YEAR, unchanged)
    variant = budget.simulation(sharing, YEAR, changed)
    assert len(kept_tables(sharing).query("name == 'budget/project_kinds'")) == 1  # the variant kept nothing
    shared.enable(False)
    assert again.equals(first) and first.equals(budget.simulation(sharing, YEAR, unchanged))
    assert variant.equals(budget.simulation(sharing, YEAR, changed))
    assert sum(variant["change"].to_pylist()) < 0  # the lower cap does change the subsidy


@pytest.mark.parametrize("text", [None, "[caps]\nloan = 1_000_000\n[budget]\namount = 5_000_000\n"],
                         ids=["current", "variant"])
def test_the_budget_page_s_summary_is_kept_and_read_back_unchanged(sharing, text):
    """贴息预算模拟 reads its summary per data version and variant (`budget.summary`): a later process reads
    it without simulating, and it equals the summary of the unshared simulation, Decimal yuan included."""
    variant = budget.load_variant(text)
    computed = budget.summary(sharing, YEAR, variant)
    shared.clear()
    with patch.object(budget, "simulation", side_effect=AssertionError("simulated again")):
        read = budget.summary(sharing, YEAR, variant)
    shared.enable(False)
    plain = budget.summarise(budget.simulation(sharing, YEAR, variant))
    for found in (computed, read):
        assert found.totals == plain.totals and found.changed == plain.changed
        assert found.waiting_rows == plain.waiting_rows
        for name in ("by_district", "by_institution", "by_kind", "waiting"):
            pd.testing.assert_frame_equal(getattr(found, name), getattr(plain, name), obj=name)
        for of, (gain, loss) in plain.movers.items():
            pd.testing.assert_frame_equal(found.movers[of][0], gain)
            pd.testing.assert_frame_equal(found.movers[of][1], loss)
    assert plain.totals["variant"] > 0 and len(plain.by_district)
    assert all(isinstance(value, Decimal) for value in read.totals.values())


@pytest.mark.parametrize("scope", [REGULATOR, DISTRICT, BANK], ids=["regulator", "district", "bank"])
def test_the_reserve_pages_results_are_kept_and_read_back_unchanged(sharing, scope):
    """储备库台账's summary, ledger and institutions to call are kept per data version, scope and day: a later
    process reads them without running their SQL, and they equal what is computed without sharing."""
    as_of = date(YEAR, 12, 31)

    def results() -> tuple[pd.DataFrame, ...]:
        return (districts.reserve_summary(sharing, scope, as_of),
                districts.reserve_ledger(sharing, scope, districts.FIRST_UNIT, as_of),
                districts.who_to_call(sharing, districts.FIRST_UNIT, scope, as_of))

    computed = results()
    shared.clear()
    query = engine.query

    def kept_only(con, name, **params):
        assert not name.startswith(("districts/", "overview/")), f"{name} run again"
        return query(con, name, **params)

    with patch.object(engine, "query", kept_only):
        read = results()
    shared.enable(False)
    plain = results()
    for name, found, own, expected in zip(("summary", "ledger", "callers"), computed, read, plain, strict=True):
        pd.testing.assert_frame_equal(found, expected, obj=name)
        pd.testing.assert_frame_equal(own, expected, obj=name)
    if scope is REGULATOR:
        assert len(plain[0]) == 41 and len(plain[1]) > 0 and len(plain[2]) > 0
        assert isinstance(read[0]["signed_amount"].iloc[0], Decimal)


def test_the_dashboards_loans_of_a_cut_off_are_kept_once(sharing):
    """总览's totals and months read the 技改专项贷 of a cut-off day (staging/eval_loans) from one build
    kept in the file; a later process reads it, every scope with the same figures as without sharing."""
    before = shared.builds.get("eval_loans", 0)
    until = date(YEAR, 9, 30)
    figures = {scope.key: (dashboard.totals(sharing, YEAR, scope, until), dashboard.monthly(sharing, YEAR, scope, until))
               for scope in (REGULATOR, BANK)}
    assert shared.builds.get("eval_loans", 0) == before + 1  # four readers, one build
    shared.clear()  # a new process
    with patch.object(shared, "_store", side_effect=AssertionError("built again")):
        again = dashboard.monthly(sharing, YEAR, BANK, until)
    shared.enable(False)
    pd.testing.assert_frame_equal(again, figures[BANK.key][1])
    for scope in (REGULATOR, BANK):
        totals, months = figures[scope.key]
        assert totals == dashboard.totals(sharing, YEAR, scope, until)
        pd.testing.assert_frame_equal(months, dashboard.monthly(sharing, YEAR, scope, until))
    assert figures[BANK.key][0]["amount"] < figures[REGULATOR.key][0]["amount"]  # the bank's own loans only


def test_kept_tables_of_all_but_the_two_newest_data_versions_are_dropped(sharing):
    versions = []
    for _ in range(3):
        versions.append(db.bump_data_version(sharing))
        subsidy.totals_by_institution(sharing, YEAR, scope=REGULATOR, policy=POLICY)
    kept = kept_tables(sharing)
    assert set(kept["data_version"]) == set(versions[1:])  # a reader of the version before the last keeps its tables
    assert database_tables(sharing) == set(kept["table_name"])  # the oldest version's tables are gone from the file
    shared.forget(sharing)
    assert kept_tables(sharing).empty and not database_tables(sharing)


@pytest.mark.parametrize("older_schema", [False, True], ids=["read-only", "read-only without shared_tables"])
def test_a_read_only_database_shares_the_items_in_memory(demo_path, tmp_path, older_schema):
    """A file that cannot be written (or, also, was made before shared_tables existed) keeps nothing
    and still answers, from one build shared in memory."""
    path = tmp_path / "read-only.duckdb"
    shutil.copyfile(demo_path, path)
    if older_schema:
        with duckdb.connect(str(path)) as writable:
            writable.execute("drop table shared_tables")
    con = duckdb.connect(str(path), read_only=True)
    shared.clear()
    shared.enable()
    try:
        before = built()
        items = subsidy.subsidy_table(con, YEAR, scope=REGULATOR, policy=POLICY)
        subsidy.totals_by_institution(con, YEAR, scope=BANK, policy=POLICY)
        assert built() == before + 1  # one build, shared
        shared.enable(False)
        pd.testing.assert_frame_equal(items, subsidy.subsidy_table(con, YEAR, scope=REGULATOR, policy=POLICY))
    finally:
        shared.enable(False)
        shared.clear()
        con.close()


def test_an_arrow_result_kept_for_later_keeps_its_hugeints_and_no_other_cursor_s_types_change():
    """`DuckDBBackend.kept` (the read-only file's shared items) gives a HUGEINT back as HUGEINT once the
    table is registered again — negative, null, beyond int64 — so `//` stays integer division; and it
    changes no setting of the database: another cursor's HUGEINT results still come as DECIMAL(38, 0)
    while it runs (`arrow_lossless_conversion` is global, and had turned them into raw bytes)."""
    con = duckdb.connect()
    con.execute("create table t as select range as i, (range - 1000) * 100000000000000000 :: hugeint as h "
                "from range(2000000)")
    text = "select i, case when i = 5 then null else h end as h, i :: decimal(38, 0) as d from t order by i"
    backend = engine.DuckDBBackend(con.cursor())
    other = con.cursor()
    kinds, holder = set(), {}
    worker = threading.Thread(target=lambda: holder.update(table=backend.kept(text, {})))
    worker.start()
    while worker.is_alive():
        kinds.add(other.execute("select sum(i :: hugeint) as s from range(10) as r(i)").to_arrow_table()
                  .schema.field("s").type)
    worker.join()
    assert kinds == {pa.decimal128(38, 0)}
    again = engine.DuckDBBackend(con.cursor())
    again.register("kept_back", holder["table"].slice(3, 5))
    rows = again.con.execute("select typeof(h), typeof(d), i, h, h // 3 from kept_back order by i").fetchall()
    assert {(row[0], row[1]) for row in rows} == {("HUGEINT", "DECIMAL(38,0)")}
    assert [row[2:] for row in rows] == [(i, None if i == 5 else (i - 1000) * 10**17,
                                          None if i == 5 else -((1000 - i) * 10**17 // 3)) for i in range(3, 8)]


# --- the judged "3个1" stages of a day, kept per data version (`sla.prepare`) -----------------

WEEK = METHOD.sla_week
DAYS = [date(2025, 12, 31), date(2025, 9, 30), date(2025, 6, 30), date(2025, 3, 31)]


def sla_readers(con, as_of, scope):
    period = (date(as_of.year, 1, 1), as_of)
    rules = {"week": WEEK, "policy": POLICY}
    watch = sla.at_risk_and_breached(con, as_of, scope=scope, **rules)
    return [sla.compliance(con, as_of, by=("month", "stage"), period=period, scope=scope, **rules),
            sla.stage_table(con, as_of, scope=scope, **rules), watch.due, watch.overdue,
            dashboard.peer_compliance(con, as_of, period, scope=scope, **rules)]


@pytest.mark.parametrize("scope", [REGULATOR, BANK], ids=lambda s: s.key)
def test_the_pages_sla_figures_of_a_day_read_one_kept_build(sharing, scope):
    """Compliance, the listing, the morning lists and the peer median of one as-of day read one
    build of the judged stages, kept in the file; every figure equals the unshared one."""
    shared.forget(sharing)  # nothing kept by the module's earlier tests
    before = shared.builds.get("sla/stages", 0)
    read = sla_readers(sharing, DAYS[0], scope)
    assert shared.builds.get("sla/stages", 0) == before + 1
    assert "sla/stages" in set(kept_tables(sharing)["name"])
    shared.enable(False)
    for one, plain in zip(read, sla_readers(sharing, DAYS[0], scope), strict=True):
        pd.testing.assert_frame_equal(one, plain)
    assert len(read[1]) and (scope == REGULATOR or set(read[1]["inst_id"]) == {"B01"})


def test_kept_tables_hold_their_row_identifiers_as_zstd_and_the_query_s_own_types(sharing):
    """A kept table (`engine.DuckDBBackend.store`) has the columns and types of the query it keeps, and its
    text row identifiers (app_id, ent_id, payment_id …) are compressed with ZSTD, the few-valued codes
    (inst_id, status) as DuckDB chooses."""
    shared.forget(sharing)
    sla.stage_table(sharing, DAYS[0], scope=REGULATOR, week=WEEK, policy=POLICY)
    subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY)
    kept = kept_tables(sharing).set_index("part")["table_name"]
    sharing.execute("checkpoint")  # compression is chosen when the rows reach the file
    with engine.session(sharing) as session:  # the judged stages as the query gives them
        text, bound = session._prepare("staging/sla_stages", None, sla.stage_params(DAYS[0], week=WEEK, policy=POLICY))
        computed = [row[:2] for row in session.backend.con.execute(f"describe\n{text}", bound).fetchall()]
    assert [row[:2] for row in sharing.execute(f"describe {kept['sla_stages']}").fetchall()] == computed
    for part, keys in {"sla_stages": {"app_id", "ent_id"}, "payment_subsidies": {"payment_id", "loan_id"}}.items():
        methods = dict(sharing.execute(
            "select column_name, any_value(compression) from pragma_storage_info(?) "
            "where segment_type = 'VARCHAR' group by column_name", [kept[part]]).fetchall())
        assert {methods[key] for key in keys} == {"ZSTD"}, methods
        assert methods["inst_id"] != "ZSTD"


def test_a_session_given_one_day_s_stages_builds_another_day_s_itself(sharing):
    """A session holding the kept stages of one day (the digest's) that then asks for another day (the
    race at the last digest, a month's compliance) gets that day's stages, not the ones it holds."""
    rules = {"week": WEEK, "policy": POLICY}
    with engine.session(sharing) as session:
        sla.at_risk_and_breached(session, DAYS[0], scope=REGULATOR, **rules)  # provides DAYS[0]'s stages
        other = session.query("sla/compliance", scope=REGULATOR, period_start=None, period_end=None, by_inst=True,
                              by_district=False, by_month=False, by_stage=False,
                              **sla.stage_params(DAYS[1], **rules))
        again = sla.compliance(session, DAYS[0], scope=REGULATOR, **rules)  # and back to the kept day
    shared.enable(False)
    expected = sla.compliance(sharing, DAYS[1], scope=REGULATOR, **rules)
    pd.testing.assert_frame_equal(other.drop(columns=["district_code", "month", "stage"]), expected)
    pd.testing.assert_frame_equal(again, sla.compliance(sharing, DAYS[0], scope=REGULATOR, **rules))
    assert not other.equals(again)


def test_results_kept_by_other_code_are_never_read(sharing):
    """A result kept in the file is found by the code that computed it too (`shared.code_version`): after
    an upgrade, a kept frame or table of the code before (other columns, another rule) is built again."""
    shared.forget(sharing)
    first = shared.frame(sharing, "test/upgrade", (1,), lambda: pd.DataFrame({"rule": ["before"]}))
    sla.stage_table(sharing, DAYS[0], scope=BANK, week=WEEK, policy=POLICY)
    stages = shared.builds["sla/stages"]
    shared.clear()  # the next process, on upgraded code
    with patch.object(shared, "code_version", return_value="0123456789abcdef"):
        again = shared.frame(sharing, "test/upgrade", (1,), lambda: pd.DataFrame({"rule": ["after"]}))
        sla.stage_table(sharing, DAYS[0], scope=BANK, week=WEEK, policy=POLICY)
    assert first["rule"].tolist() == ["before"] and again["rule"].tolist() == ["after"]
    assert shared.builds["sla/stages"] == stages + 1
    shared.clear()  # and the code of this process still reads its own
    pd.testing.assert_frame_equal(shared.frame(sharing, "test/upgrade", (1,), lambda: pd.DataFrame()), first)


def test_only_the_stages_of_the_days_kept_last_stay(sharing):
    for day in DAYS:
        sla.stage_table(sharing, day, scope=BANK, week=WEEK, policy=POLICY)
    kept = kept_tables(sharing)
    # of this data version: the file also keeps the version before's (`tables_outdated`), which a test before this
    # one on the module's file may have left, depending on the order the workers run the tests in
    stages = kept[(kept["name"] == "sla/stages") & (kept["data_version"] == db.reported_version(sharing))]
    assert len(stages) == sla.STAGE_DAYS_KEPT == 3
    assert DAYS[0].isoformat() not in " ".join(stages["params"])  # the first day asked is gone
    assert set(kept["table_name"]) == database_tables(sharing)
    shared.enable(False)  # the dropped day computed again, right
    first = sla.stage_table(sharing, DAYS[0], scope=BANK, week=WEEK, policy=POLICY)
    shared.enable(True)
    pd.testing.assert_frame_equal(sla.stage_table(sharing, DAYS[0], scope=BANK, week=WEEK, policy=POLICY), first)


# --- the books of the sessions over many cut-offs, shared in memory (`shared._book`) --------------


def book_tables(con) -> set[str]:
    return set(con.execute("select table_name from duckdb_tables() where database_name = ?", [BOOKS]).df()["table_name"])


def kept_by_imports(con) -> set[str]:
    """The tables kept in the file by the last imports: the books (`shared.keep_books`) and the results the pages
    read first (`shared.keeping_for_import`)."""
    return set(engine.query(con, "shared/book_tables", scope=None)["table_name"])


def kept_books(con) -> set[str]:
    return {name for name in kept_by_imports(con) if name.endswith("_book")}


def drop_kept_books(con) -> None:
    for table in kept_by_imports(con):
        engine.drop(con, table)


def an_import(con) -> set[str]:
    """What an import that wrote rows leaves: a new reported data version and its books in the file."""
    db.bump_data_version(con)
    importer.keep_results_of_import(con)
    return kept_books(con)


def test_an_import_keeps_the_books_in_the_file_and_a_page_s_run_reads_them(sharing):
    """After an import the four books are tables of the file: a page's run reads every cut-off off them,
    builds none, and gets what a session building its own gets."""
    books = an_import(sharing)
    assert sorted(name.split("_", 3)[3] for name in books) == ["approval_book", "disbursal_book", "eval_book",
                                                               "stage_book"]
    before = dict(shared.builds)
    days = [date(YEAR, 6, 30), date(YEAR, 12, 31), date(YEAR - 1, 12, 31)]
    with shared.books(sharing):
        kept = cut_off_figures(sharing, days)
        assert not book_tables(sharing)  # nothing built in memory
    assert {k: v for k, v in shared.builds.items() if before.get(k) != v and k.endswith("_book")} == {}
    shared.enable(False)
    alone = cut_off_figures(sharing, days)
    for mine, theirs in zip(kept, alone, strict=True):
        assert mine.num_rows > 0 and mine.equals(theirs)


def test_an_evaluation_published_keeps_the_books_and_imports_replace_them(sharing):
    """The books read reported tables only: a new data version that no reported table sees (an evaluation
    stored or published, a final qualitative score) keeps them; each import keeps its own, and the books
    of all but the two newest reported versions are dropped."""
    first = an_import(sharing)
    db.bump_data_version(sharing, reported=False)
    before = shared.builds.get("staging/eval_book", 0)
    with shared.books(sharing):
        cut_off_figures(sharing, [date(YEAR, 6, 30)])
    assert shared.builds.get("staging/eval_book", 0) == before
    second = an_import(sharing) - first
    third = an_import(sharing) - first - second
    assert len(second) == len(third) == 4 and kept_books(sharing) == second | third


def test_books_that_cannot_be_kept_leave_the_import_as_it_was(sharing, monkeypatch, caplog):
    """Keeping the books and results is best effort after the commit: a file that refuses leaves a warning, no
    error, and no table (nor half of a result's)."""
    def refuse(*args, **kwargs):
        raise duckdb.IOException("磁盘已满")

    monkeypatch.setattr(engine.Session, "store", refuse)
    assert an_import(sharing) == set()
    assert kept_by_imports(sharing) == set()
    assert "could not keep the books" in caplog.text and "could not keep subsidy for the reported data" in caplog.text
    assert not sharing.execute("select 1 from duckdb_tables() where table_name like 'building_%'").fetchall()


# what the pages read first, kept by an import (`shared.keeping_for_import`), by the name `shared.builds` counts
KEPT_AT_IMPORT = ("subsidy", "subsidy/queue", "budget/project_kinds", "eval_loans", "sla/stages")


def first_figures(con, as_of: date) -> list:
    """What the pages of YEAR read first off the results an import keeps: the subsidies per project, the payment
    queue's district shares, the budget's current rules, 总览's totals, the stages' compliance."""
    return [subsidy.subsidy_table(con, YEAR, scope=BANK, policy=POLICY),
            disbursement.plan(con, YEAR, None, None, scope=DISTRICT, policy=POLICY).queue.to_pandas(),
            budget.summary(con, YEAR, budget.Variant(POLICY)).by_district,
            pd.DataFrame([dashboard.totals(con, YEAR, scope=REGULATOR)]),
            sla.compliance(con, as_of, scope=DISTRICT, week=load_method().sla_week, policy=POLICY),
            race.monthly_scores(con, YEAR, method=year_method(con), policy=POLICY, scope=BANK),
            race.monthly_district_ranks(con, YEAR, method=year_method(con), policy=POLICY),
            quality.findings(con, YEAR + 1, REGULATOR, POLICY),  # the demo's findings are in its 2026
            districts.reserve_summary(con, REGULATOR, as_of),
            districts.reserve_ledger(con, REGULATOR, districts.FIRST_UNIT, as_of),
            districts.who_to_call(con, districts.FIRST_UNIT, REGULATOR, as_of)]


def year_method(con):
    """The method the pages judge YEAR by: its published run's, else the default."""
    return load_method(published.year_method_text(con, YEAR))


def test_an_import_keeps_what_the_pages_read_first_and_they_read_it(sharing):
    """After an import the year the sidebar opens on and the year before have their subsidy items, claims in queue
    order, subsidy per project and kind, budget simulation under the current rules, 技改专项贷 to the cut-off, races
    month by month and data-quality findings kept in the file, the as-of day its judged stages, and a closed year
    the stages judged on its 31 December (its evaluation's, which reads them: the test above): the pages build none
    of them, and read what a process without sharing computes."""
    an_import(sharing)
    window = dashboard.data_window(sharing)
    assert YEAR in (window.opening_year(date.today()), window.opening_year(date.today()) - 1)
    as_of = window.clamp(date.today())
    year_end, week = date(YEAR, 12, 31), year_method(sharing).sla_week
    assert year_end < as_of and shared.found(
        sharing, "sla/stages", sla._stages_key(sla.stage_params(year_end, week=week, policy=POLICY), week, POLICY),
        ("sla_stages",), reported=True)
    shared.clear()  # a new process's first page
    before = {name: shared.builds.get(name, 0) for name in KEPT_AT_IMPORT}
    with (patch.object(budget, "simulation", side_effect=AssertionError("simulated again")),
          patch.object(race, "_all_monthly_scores", side_effect=AssertionError("raced again")),
          patch.object(race, "_all_monthly_district_ranks", side_effect=AssertionError("raced again")),
          patch.object(quality, "_findings", side_effect=AssertionError("checked again")),
          patch.object(districts, "_reserve_summary", side_effect=AssertionError("summed again"))):
        kept = first_figures(sharing, as_of)
    assert {name: shared.builds.get(name, 0) for name in KEPT_AT_IMPORT} == before
    shared.enable(False)
    for mine, theirs in zip(kept, first_figures(sharing, as_of), strict=True):
        assert len(mine) > 0
        pd.testing.assert_frame_equal(mine, theirs)


def test_a_published_evaluation_keeps_the_import_s_results_but_the_queue_of_the_year_it_writes(sharing):
    """An evaluation of YEAR - 1 published writes YEAR's cooperating institutions (R13), which the claims' queue
    order reads (R7): that year's order is built again; its subsidy items, and the next year's order, are not."""
    an_import(sharing)
    with shared.books(sharing):
        runs.evaluate_and_store(sharing, YEAR - 1, publish=True)
    shared.clear()
    before = {name: shared.builds.get(name, 0) for name in KEPT_AT_IMPORT}
    for year in (YEAR, YEAR + 1):  # the years the import kept (the sidebar opens on YEAR + 1)
        disbursement.plan(sharing, year, None, None, scope=DISTRICT, policy=POLICY)
    assert {name: shared.builds.get(name, 0) - n for name, n in before.items()} == \
        {"subsidy": 0, "subsidy/queue": 1, "budget/project_kinds": 0, "eval_loans": 0, "sla/stages": 0}


def cut_off_figures(con, days) -> list[pa.Table]:
    """What a race reads at each day: the 技改专项贷 of the cut-off and the stages due by then."""
    figures = []
    with engine.session(con, cut_offs=True) as session:
        for day in days:
            engine.materialise(session, "cut", "staging/eval_loans", scope=None, year=day.year, until=day)
            figures.append(session.backend.arrow("select * from cut order by loan_id", {}))
            figures.append(engine.arrow(session, "sla/stages", scope=BANK,
                                        **sla.stage_params(day, week=WEEK, policy=POLICY)))
    return figures


def test_every_session_over_many_cut_offs_reads_one_build_of_each_book(sharing):
    """Two races (two sessions, as two years' pages, methods or users) build the loans and every stage
    once in the process, and read each day off them exactly as a session building its own: another
    year's days too, off the same book of loans (`-- shared book: $year = 9999` in staging/eval_book)."""
    before = {view: shared.builds.get(f"staging/{view}", 0) for view in ("eval_book", "stage_book")}
    with shared.books(sharing):  # a page's run
        first = cut_off_figures(sharing, [date(YEAR, 3, 31), date(YEAR, 6, 30)])
        second = cut_off_figures(sharing, [date(YEAR, 9, 30), date(YEAR, 12, 31)])
        assert {view: shared.builds.get(f"staging/{view}", 0) - n for view, n in before.items()} == \
            {"eval_book": 1, "stage_book": 1}
        assert len(book_tables(sharing)) == 2
        other_years = cut_off_figures(sharing, [date(YEAR - 1, 12, 31), date(YEAR - 1, 6, 30)])  # the same books
        assert {view: shared.builds.get(f"staging/{view}", 0) - n for view, n in before.items()} == \
            {"eval_book": 1, "stage_book": 1}
    shared.enable(False)
    days = [date(YEAR, 3, 31), date(YEAR, 6, 30), date(YEAR, 9, 30), date(YEAR, 12, 31)]
    plain = cut_off_figures(sharing, days[:2]) + cut_off_figures(sharing, days[2:])
    for mine, theirs in zip(first + second, plain, strict=True):
        assert mine.num_rows > 0 and mine.equals(theirs)
    for day, mine in zip([date(YEAR - 1, 12, 31), date(YEAR - 1, 6, 30)], other_years[::2], strict=True):
        theirs = cut_off_figures(sharing, [day])[0]
        assert mine.num_rows > 0 and mine.equals(theirs)
        assert theirs.num_rows < second[-2].num_rows  # last year's loans: fewer than this year's


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.dates(date(YEAR - 1, 1, 1), date(YEAR + 1, 11, 30)), min_size=1, max_size=4))
def test_any_cut_off_of_any_year_read_off_the_one_shared_book_is_the_cut_off_built_alone(sharing, days):
    """R12/R16's 技改专项贷 at any day of any year (first signings included: a project's loans spanning the
    years), read off the one book of loans a process shares, equal the day's loans built on their own."""
    with shared.books(sharing):
        off_book = cut_off_figures(sharing, days)[::2]
    shared.enable(False)
    alone = [cut_off_figures(sharing, [day])[0] for day in days]
    shared.enable(True)
    for mine, theirs in zip(off_book, alone, strict=True):
        assert mine.equals(theirs)


def test_books_of_all_but_the_two_newest_data_versions_and_of_a_forgotten_process_are_dropped(sharing):
    tables = []
    with shared.books(sharing):  # a long computation (the warm-up) over three imports
        for _ in range(3):
            db.bump_data_version(sharing)
            cut_off_figures(sharing, [date(YEAR, 6, 30)])
            tables.append(book_tables(sharing) - set().union(*tables))
        assert all(len(new) == 2 for new in tables)  # each version its own two books
        assert book_tables(sharing) == tables[1] | tables[2]  # a session of the version before the last keeps its own
        shared.clear()  # a new process: its books are built again and the earlier ones dropped
        cut_off_figures(sharing, [date(YEAR, 6, 30)])
        assert len(book_tables(sharing)) == 2 and not book_tables(sharing) & (tables[1] | tables[2])
    assert not book_tables(sharing)  # nothing computes any more: the memory is given back


def test_books_live_while_something_computes_and_are_dropped_after_the_last(sharing):
    """Two pages computing at once share the books; they stay until the last one ends; a session outside
    any such block (the banks' API, the command line) builds its own, as before."""
    before = shared.builds.get("staging/eval_book", 0)
    with shared.books(sharing):
        with shared.books(sharing):
            cut_off_figures(sharing, [date(YEAR, 6, 30)])
        assert len(book_tables(sharing)) == 2  # the other page still computes
        cut_off_figures(sharing, [date(YEAR, 9, 30)])
    assert not book_tables(sharing) and shared.builds.get("staging/eval_book", 0) == before + 1
    with engine.session(sharing, cut_offs=True) as session:
        engine.materialise(session, "cut", "staging/eval_loans", scope=None, year=YEAR, until=date(YEAR, 6, 30))
    assert not book_tables(sharing) and shared.builds.get("staging/eval_book", 0) == before + 1


def test_a_thread_outside_any_block_builds_its_own_books_while_another_computes(sharing):
    """The banks' API answers in its own thread while a page computes: it never reads the page's books,
    which are dropped when the page ends, and builds its own."""
    before = shared.builds.get("staging/eval_book", 0)
    outside = []
    built_here = {}  # thread → the temp tables its sessions materialised
    materialise = engine.DuckDBBackend.materialise

    def spy(backend, table, text, params):
        built_here.setdefault(threading.current_thread().name, []).append(table)
        return materialise(backend, table, text, params)

    with patch.object(engine.DuckDBBackend, "materialise", spy), shared.books(sharing):
        cut_off_figures(sharing, [date(YEAR, 6, 30)])
        with sharing.cursor() as cur:
            worker = threading.Thread(target=lambda: outside.extend(cut_off_figures(cur, [date(YEAR, 6, 30)])),
                                      name="api")
            worker.start()
            worker.join()
    assert shared.builds.get("staging/eval_book", 0) == before + 1 and not book_tables(sharing)
    assert "eval_book" in built_here["api"] and "eval_book" not in built_here[threading.current_thread().name]
    shared.enable(False)
    assert outside[0].num_rows > 0 and outside[0].equals(cut_off_figures(sharing, [date(YEAR, 6, 30)])[0])


def ordinary_figures(con, month: int) -> list[pd.DataFrame]:
    """What ordinary sessions read off a book: two evaluations, 总览's months, a bank's listed stages."""
    frames = []
    for until in (date(YEAR, month, 28), date(YEAR, month + 6, 28)):
        frames.append(evaluation.evaluate(con, Period.of(YEAR, until), METHOD, draws=0, policy=POLICY).institution_rows)
        frames.append(dashboard.monthly(con, YEAR, BANK, until))
    frames.append(sla.stage_table(con, date(YEAR, month + 3, 28), scope=BANK, week=WEEK, policy=POLICY))
    return frames


def test_ordinary_sessions_in_a_block_read_their_cut_off_off_a_book_built_already(sharing):
    """In a page's run, an evaluation, 总览's months and the SLA listing (ordinary sessions, one cut-off
    each) build their cut-off alone while no book is built (a whole book for one day would cost more),
    and once a race has built the books read their cut-offs off them; every figure is the one an
    ordinary session computes on its own."""
    shared.forget(sharing)
    before = {view: shared.builds.get(f"staging/{view}", 0) for view in ("eval_book", "stage_book")}
    materialise, alias = engine.DuckDBBackend.materialise, engine.DuckDBBackend.alias
    with patch.object(engine.DuckDBBackend, "materialise", autospec=True, side_effect=materialise) as built, \
            patch.object(engine.DuckDBBackend, "alias", autospec=True, side_effect=alias) as read:
        with shared.books(sharing):
            alone = ordinary_figures(sharing, 5)
            assert shared.builds.get("staging/eval_book", 0) == before["eval_book"]  # no book for one day
            assert not any(BOOKS in call.args[2] for call in read.call_args_list)
            cut_off_figures(sharing, [date(YEAR, 3, 31)])  # a race builds the books
            read.reset_mock()
            off_books = ordinary_figures(sharing, 6)  # other days: now off the books
            assert {call.args[1] for call in read.call_args_list if BOOKS in call.args[2]} == {"eval_book", "stage_book"}
    assert {view: shared.builds.get(f"staging/{view}", 0) - n for view, n in before.items()} == \
        {"eval_book": 1, "stage_book": 1}
    tables = [call.args[1] for call in built.call_args_list]
    assert "eval_book" not in tables and "stage_book" not in tables  # never built as a session's own
    shared.enable(False)
    shared.forget(sharing)  # an evaluation reads what the file keeps (总览's 技改专项贷 above): the reference, none
    for figures, month in ((alone, 5), (off_books, 6)):
        for mine, theirs in zip(figures, ordinary_figures(sharing, month), strict=True):
            assert len(theirs)
            pd.testing.assert_frame_equal(mine, theirs)


def test_with_the_books_switched_off_a_block_shares_none(sharing):
    """`JIGAI_SHARE_BOOKS=0` (`shared.enable(books=False)`): a server that must stay small keeps the other
    shared results, and each session builds its own books, none held in memory."""
    before = shared.builds.get("staging/eval_book", 0)
    shared.enable(True, books=False)
    with shared.books(sharing):
        figures = cut_off_figures(sharing, [date(YEAR, 6, 30)])
        assert not book_tables(sharing)
    assert shared.builds.get("staging/eval_book", 0) == before
    shared.enable(False)
    assert figures[0].equals(cut_off_figures(sharing, [date(YEAR, 6, 30)])[0])


def memory_copies(con) -> set[str]:
    """The kept results held in the in-memory database beside the file (a page's run, `books(keep_later=…)`)."""
    return {name for name in book_tables(con) if name.startswith("kept_")}


def test_a_page_s_run_keeps_large_results_in_memory_and_writes_them_to_the_file_after_it(sharing):
    """In a page's run the year's subsidy items and the day's stages are built once in memory, read there by
    every reader of the run, and written to the file only after it (cold 总览 at 1 M: 3 s of writes the reader
    no longer waits for); then the file holds them, the copies in memory are gone, and a later process reads
    them without computing, equal to the results computed without sharing."""
    shared.forget(sharing)
    before = built()
    day = date(YEAR, 11, 28)
    with shared.books(sharing, keep_later=sharing):
        computed = subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY)
        bank = subsidy.payment_detail(sharing, YEAR, scope=BANK, policy=POLICY)
        stages = sla.stage_table(sharing, day, scope=DISTRICT, week=WEEK, policy=POLICY)
        assert kept_tables(sharing).empty and not database_tables(sharing)  # nothing written during the run
        assert len(memory_copies(sharing)) == len(subsidy.SHARED) + 1 and built() == before + 1
    shared.wait_for_writes()
    kept = kept_tables(sharing)
    assert set(kept["part"]) == {*subsidy.SHARED, "sla_stages"}
    assert set(kept["table_name"]) == database_tables(sharing) and not memory_copies(sharing)
    shared.clear()  # a new process: the tables in the file
    with (patch.object(subsidy, "_build_all", side_effect=AssertionError("computed again")),
          patch.object(engine.DuckDBBackend, "store", side_effect=AssertionError("stored again"))):
        read = [subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY),
                subsidy.payment_detail(sharing, YEAR, scope=BANK, policy=POLICY),
                sla.stage_table(sharing, day, scope=DISTRICT, week=WEEK, policy=POLICY)]
    shared.enable(False)
    unshared = [subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY),
                subsidy.payment_detail(sharing, YEAR, scope=BANK, policy=POLICY),
                sla.stage_table(sharing, day, scope=DISTRICT, week=WEEK, policy=POLICY)]
    for during, after, alone in zip([computed, bank, stages], read, unshared, strict=True):
        assert len(alone)
        pd.testing.assert_frame_equal(during, alone)
        pd.testing.assert_frame_equal(after, alone)


def test_a_page_s_run_keeps_its_small_results_in_the_file_after_it(sharing):
    """A small result a page's run computes (a unit's 融资对接台账, kept per data version) is read by the run from
    memory and written to the file only once the run has ended: then a new process reads it without computing, equal
    to the result computed without sharing."""
    shared.forget(sharing)
    day = date(YEAR, 11, 28)
    with shared.books(sharing, keep_later=sharing):
        ledger = districts.reserve_ledger(sharing, REGULATOR, districts.FIRST_UNIT, day)
        assert not results_kept(sharing)  # nothing written during the run
        pd.testing.assert_frame_equal(districts.reserve_ledger(sharing, REGULATOR, districts.FIRST_UNIT, day), ledger)
    shared.wait_for_writes()
    assert results_kept(sharing) == {"districts/ledger"}
    shared.clear()  # a new process
    query, arrow = engine.query, engine.arrow

    def not_the_ledger(run):
        def guarded(con, name, **params):
            assert name != "districts/ledger", "computed again"
            return run(con, name, **params)
        return guarded

    with patch.object(engine, "query", not_the_ledger(query)), patch.object(engine, "arrow", not_the_ledger(arrow)):
        read = districts.reserve_ledger(sharing, REGULATOR, districts.FIRST_UNIT, day)
    shared.enable(False)
    alone = districts.reserve_ledger(sharing, REGULATOR, districts.FIRST_UNIT, day)
    assert len(alone)
    pd.testing.assert_frame_equal(ledger, alone)
    pd.testing.assert_frame_equal(read, alone)


def results_kept(con) -> set[str]:
    return set(con.execute("select distinct name from shared_results").df()["name"])


def test_a_reader_outside_any_run_builds_its_own_while_a_run_holds_the_result_in_memory(sharing):
    """The banks' API asks, outside any page's run, for a bank's payment queue while a page's run holds the year's
    items in memory: it never reads that copy (dropped once written, without asking it) and does not wait for the
    run to end — it builds its own. Waiting deadlocked: the API waited for the items holding the lock of the
    queue's order built on them, and the run, asking for the queue next, waited for that lock."""
    shared.forget(sharing)
    before = built()
    answers, read_by_api, items_built, api_done = {}, [], threading.Event(), threading.Event()
    alias = engine.DuckDBBackend.alias

    def spy(backend, view, table):
        if threading.current_thread().name == "api":
            read_by_api.append(table)
        return alias(backend, view, table)

    def page(cur) -> None:
        with shared.books(cur, keep_later=sharing):
            subsidy.subsidy_table(cur, YEAR, scope=REGULATOR, policy=POLICY)  # the items, in memory
            items_built.set()
            answers["api in time"] = api_done.wait(timeout=60)
            answers["page"] = subsidy.payment_queue_table(cur, YEAR, scope=BANK, policy=POLICY)

    def api(cur) -> None:
        items_built.wait(timeout=60)
        answers["api"] = subsidy.payment_queue_table(cur, YEAR, scope=BANK, policy=POLICY)
        api_done.set()

    with patch.object(engine.DuckDBBackend, "alias", spy), sharing.cursor() as page_cur, sharing.cursor() as api_cur:
        threads = [threading.Thread(target=page, args=(page_cur,), name="page", daemon=True),
                   threading.Thread(target=api, args=(api_cur,), name="api", daemon=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        assert not any(thread.is_alive() for thread in threads)  # no deadlock
        shared.wait_for_writes()
    assert answers["api in time"]  # answered while the run still held the items
    assert not any(table.startswith(BOOKS) for table in read_by_api)
    assert built() == before + 2  # the run's items, and the API's own
    assert {"payment_subsidies", "queue_order"} <= set(kept_tables(sharing)["part"]) and not memory_copies(sharing)
    shared.enable(False)
    alone = subsidy.payment_queue_table(sharing, YEAR, scope=BANK, policy=POLICY)
    assert alone.num_rows and answers["api"].equals(alone) and answers["page"].equals(alone)


def test_a_result_held_in_memory_is_not_written_once_an_import_made_a_newer_version(sharing):
    """An import during the page's run: its results are of the old data version, which no reader asks for
    again, so the writer drops them instead of filling the file."""
    shared.forget(sharing)
    with shared.books(sharing, keep_later=sharing):
        subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY)
        db.bump_data_version(sharing)
    shared.wait_for_writes()
    assert kept_tables(sharing).empty and not database_tables(sharing) and not memory_copies(sharing)
    before = built()
    subsidy.subsidy_table(sharing, YEAR, scope=REGULATOR, policy=POLICY)  # the new version: built and kept
    assert built() == before + 1 and len(kept_tables(sharing))


def test_the_app_s_page_run_keeps_its_large_results_in_memory_and_writes_them_after_it(sharing, demo_copy, monkeypatch):
    """The wiring: a page's run in the app (`app.py`, `ui.data.computing(page=True)`) builds the large results it
    is the first to need in memory, none straight into the file, and they are in the file once it has ended."""
    path, _ = demo_copy
    importlib.import_module("ui.data")  # its import sets sharing from the environment (off in the tests): first
    shared.enable()
    shared.forget(sharing)
    monkeypatch.setenv(db.DB_ENV, str(path))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.session_state["account"] = auth.account(sharing, "regulator")
    at.session_state["year"] = YEAR
    with (patch.object(shared, "_store_in_memory", wraps=shared._store_in_memory) as in_memory,
          patch.object(shared, "_store", wraps=shared._store) as in_file):
        at.run()
        shared.wait_for_writes()
    assert not at.exception and at.title[0].value.startswith("总览")
    assert in_memory.call_count >= 3 and in_file.call_count == 0  # the year's items, the day's stages, the loans
    assert set(kept_tables(sharing)["table_name"]) == database_tables(sharing) and not memory_copies(sharing)
    assert {"payment_subsidies", "sla_stages", "eval_loans"} <= set(kept_tables(sharing)["part"])


def test_a_page_s_run_on_a_read_only_file_answers_and_its_write_fails_quietly(demo_path, tmp_path):
    """On a file that cannot be written, a page's run still shares one build in memory; the write after it fails
    without an error reaching anyone, leaves nothing behind, and later readers answer from a build of their own."""
    path = tmp_path / "read-only.duckdb"
    shutil.copyfile(demo_path, path)
    con = duckdb.connect(str(path), read_only=True)
    shared.clear()
    shared.enable()
    try:
        before = built()
        with shared.books(con, keep_later=con):
            items = subsidy.subsidy_table(con, YEAR, scope=REGULATOR, policy=POLICY)
            bank = subsidy.totals_by_institution(con, YEAR, scope=BANK, policy=POLICY)
            assert built() == before + 1  # one build, shared within the run
        shared.wait_for_writes()
        assert not memory_copies(con)
        later = subsidy.subsidy_table(con, YEAR, scope=REGULATOR, policy=POLICY)
        shared.enable(False)
        pd.testing.assert_frame_equal(items, subsidy.subsidy_table(con, YEAR, scope=REGULATOR, policy=POLICY))
        pd.testing.assert_frame_equal(later, items)
        pd.testing.assert_frame_equal(bank, subsidy.totals_by_institution(con, YEAR, scope=BANK, policy=POLICY))
    finally:
        shared.enable(False)
        shared.clear()
        con.close()


WRITE_THEN_EXIT = """
import sys, threading
sys.path.insert(0, {root!r})
from scoring import bootstrap, shared, subsidy
from scoring.access import REGULATOR
from scoring.policy import load_policy
con = bootstrap.connect({path!r})
shared.enable()

def page():  # as Streamlit runs a page: in a daemon thread
    with shared.books(con, keep_later=con):
        subsidy.subsidy_table(con, 2025, scope=REGULATOR, policy=load_policy())

run = threading.Thread(target=page, daemon=True)
run.start()
run.join()
"""  # and the process ends at once


def test_a_process_ending_right_after_a_page_s_run_first_writes_what_the_run_kept(demo_path, tmp_path):
    """The writer is not a daemon even when a page's (daemon) thread starts it: a server stopped right after a page
    exits once the write is done, with the result in the file. As a daemon it was still inside Arrow while the exit
    shut Arrow's threads down: the process hung, or aborted with the write lost."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_path, path)
    code = WRITE_THEN_EXIT.format(root=str(Path(__file__).resolve().parent.parent), path=str(path))
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert finished.returncode == 0, finished.stderr.decode(errors="replace")[-2000:]
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert {"payment_subsidies", "guarantee_and_policy_items"} <= set(kept_tables(con)["part"])
        assert set(kept_tables(con)["table_name"]) == database_tables(con)
    finally:
        con.close()


def test_an_import_keeps_the_day_s_reminders_for_its_data_version(sharing):
    """The 今日提醒 lists of the as-of day are kept by the import for its data version: every role's panel reads them,
    builds none, and shows what a process without sharing shows; a new data version that is not an import (an
    evaluation published: the projection's grades may read it) gathers them again."""
    an_import(sharing)
    as_of = dashboard.data_window(sharing).clamp(date.today())
    shared.clear()  # a new process's first page
    inside = ("forecast/view", "forecast/race_to_date", "quality/findings")  # what gathering the lists computes
    before = {name: shared.builds.get(name, 0) for name in inside}
    scopes = [REGULATOR, BANK, DISTRICT]
    kept = [digest.panel(sharing, as_of, scope) for scope in scopes]
    assert {name: shared.builds.get(name, 0) for name in inside} == before
    shared.enable(False)
    alone = [digest.panel(sharing, as_of, scope) for scope in scopes]
    shared.enable(True)
    for mine, theirs in zip(kept, alone, strict=True):
        assert mine.headline == theirs.headline and mine.sheets.keys() == theirs.sheets.keys()
        for title, (frame, _) in mine.sheets.items():
            pd.testing.assert_frame_equal(frame, theirs.sheets[title][0])
    assert sum(len(frame) for panel in kept for frame, _ in panel.sheets.values()) > 0
    db.bump_data_version(sharing, reported=False)
    digest.panel(sharing, as_of, REGULATOR)
    assert all(shared.builds.get(name, 0) == before[name] + 1 for name in inside)


def test_a_submission_that_writes_rows_keeps_the_results_once_the_writer_lock_is_free(sharing, tmp_path, monkeypatch):
    """Keeping the results takes tens of seconds at a million loans: a submission that wrote rows keeps them after
    releasing the writer lock, so the next bank's file is not queued behind it; one that wrote nothing keeps none."""
    from scoring import receipts, writer
    locked_while_keeping = []
    monkeypatch.setattr(importer, "keep_results_of_import", lambda con: locked_while_keeping.append(writer._LOCK.locked()))
    inst_id = sharing.execute("select inst_id from institutions order by inst_id limit 1").fetchone()[0]
    path = tmp_path / "cases.csv"
    path.write_text(f"case_id,inst_id,title,year,ent_id,summary\nKEEP-1,{inst_id},测试案例,2026,,\n", encoding="utf-8")
    assert receipts.submit(sharing, [path], user="regulator").ok
    assert receipts.submit(sharing, [path], user="regulator").ok  # the same rows again: nothing written
    assert locked_while_keeping == [False]


def test_keeping_stops_once_another_import_has_come(sharing, monkeypatch):
    """A burst of imports near a deadline: what one import keeps is never read once the next has committed, so its
    keeping stops at the next step instead of competing with the newer import's for the CPU."""
    kept = []
    monkeypatch.setattr(shared, "keep_books", lambda con, books: db.bump_data_version(con))  # another import, meanwhile
    monkeypatch.setattr(budget, "summary", lambda *args: kept.append("budget"))
    monkeypatch.setattr(digest, "day_facts", lambda *args: kept.append("digest"))
    db.bump_data_version(sharing)
    importer.keep_results_of_import(sharing)
    assert kept == [] and not kept_by_imports(sharing)


def test_a_part_left_half_built_by_an_older_keeping_is_dropped_by_the_next_import(sharing):
    """A process that died while keeping leaves a `building_…` table; the next import's keeping drops it."""
    db.bump_data_version(sharing)
    left = f"building_book_{db.reported_version(sharing)}_000000000000_payment_subsidies"
    sharing.execute(f"create table {left} as select 1 as x")
    an_import(sharing)
    assert not sharing.execute("select 1 from duckdb_tables() where table_name = ?", [left]).fetchall()
