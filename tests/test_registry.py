"""The indicator registry (COINr's iMeta): one record per indicator that everything reads, so
that a new indicator is its record and one `.sql` file — proven with a toy indicator that
flows through the evaluation, the stored run and the output files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evaluation_fixture as fx
from scoring import db, runs
from scoring.evaluation import evaluate
from scoring.method import DEFAULT_METHOD, MethodError, load_method
from scoring.registry import DEFAULT_REGISTRY, RegistryError, load_registry
from ui import fmt

REGISTRY_TEXT = DEFAULT_REGISTRY.read_text(encoding="utf-8")
TOY_QUERY = db.QUERIES / "indicators" / "x9_toy_test.sql"
TOY_RECORD = """
[X9]
subject = "institution"
name = "测试指标：当年放款笔数"
unit = "笔"
direction = "higher"
query = "indicators/x9_toy_test"
count = true
parts.X9_projects = { name = "涉及项目数", count = true }
"""
# One row per institution that disbursed in the year: its loans and their projects.
TOY_SQL = """-- A toy indicator for tests/test_registry.py: loans disbursed in $year by the cut-off.
select inst_id, count(*) as X9, count(distinct project_id) as X9_projects
from eval_loans
where year(disbursed_on) = $year
group by inst_id
"""
TOY_METHOD = DEFAULT_METHOD.read_text(encoding="utf-8").replace("""[indicators.D1]""", """[indicators.X9]
criterion = "volume"
normalisation = "ratio_to_best"
weights = { bank = 10, leasing = "—" }

[indicators.D1]""")


@pytest.fixture()
def toy_query():
    """The toy indicator's one .sql file, in queries/ where every query lives, for this test only."""
    TOY_QUERY.write_text(TOY_SQL, encoding="utf-8")
    try:
        yield
    finally:
        TOY_QUERY.unlink()


def test_default_registry_describes_every_indicator_of_the_default_method():
    registry = load_registry()
    method = load_method()
    # every quantitative record; the qualitative ones (issue 15 §3) only in methods that weight them
    assert {i.id for i in method.indicators} == {r.id for r in registry.records if not r.qualitative}
    assert registry.ids("institution") == ("V1", "V2", "V3", "T1", "M1", "P1", "P2", "S1", "S2", "E1", "I1", "Q1", "Q2")
    assert method.registry.ids("institution") == registry.ids("institution")[:-2]
    assert registry.ids("district") == ("D1", "D2", "D3", "D4", "D5")
    assert registry.get("S2").direction == "lower" and registry.get("S2").unit == "个工作日"
    assert all((db.QUERIES / f"{r.query}.sql").is_file() for r in registry.records)  # each query exists
    assert fmt.indicator_value("V1", 2_367_000_000) == "23.67 亿元" and fmt.indicator_value("S1", 0.965) == "96.5%"


@pytest.mark.parametrize("edit, key", [
    (('subject = "district"\nname = "区县企业获得', 'subject = "county"\nname = "区县企业获得'), "D1.subject"),
    (('query = "indicators/pricing"\n', ""), "P1.query"),
    (("parts.V1_before = { name", "parts.V1_before = { label"), "V1.parts.V1_before"),
    (('unit = "percent"\ndirection = "higher"\nquery = "indicators/volume"\n\n[V3]',
      'unit = "percent"\ndirection = "higher"\nquery = "indicators/volume"\nweight = 3\n\n[V3]'), "V2.weight"),
])
def test_registry_problems_are_named_by_their_key(edit, key):
    assert edit[0] in REGISTRY_TEXT
    with pytest.raises(RegistryError) as caught:
        load_registry(REGISTRY_TEXT.replace(*edit, 1))
    assert [p.split("：")[0] for p in caught.value.problems] == [key]


def test_a_method_may_only_use_registered_indicators():
    with pytest.raises(MethodError, match="indicators.X9：未知指标编号"):
        load_method(TOY_METHOD)  # X9 has no record in the built-in registry


def test_a_toy_indicator_is_a_record_and_a_query_and_flows_to_the_outputs(toy_query, tmp_path):
    registry = load_registry(REGISTRY_TEXT + TOY_RECORD)
    method = load_method(TOY_METHOD, registry)
    toy = method.indicator("X9")
    assert (toy.name, toy.direction) == ("测试指标：当年放款笔数", "higher")  # from the record
    con = fx.build()
    live = evaluate(con, fx.YEAR, method, draws=20)
    run_id = runs.store(con, live)
    stored = runs.load_run(con, run_id)
    con.close()

    table = live.institutions.set_index("inst_id")
    lent = table[table["loans_in_year"] > 0]  # the engine's own count of the year's 技改专项贷 disbursed
    assert len(lent) >= 5 and (lent["X9_raw"] == lent["loans_in_year"]).all()  # the query's answer is the raw value
    assert {"X9_raw", "X9_norm", "X9_contrib", "X9_projects"} <= set(table.columns)
    assert table["X9_raw"].dtype == "Int64" and table["X9_projects"].dtype == "Int64"  # count = true
    scored = table[(table["peer_group"] == "bank") & (table["status"] == "scored")]
    assert scored["X9_contrib"].gt(0).any() and table.loc[table["peer_group"] == "leasing", "X9_contrib"].isna().all()
    ids = [i.id for i in method.indicators_for("bank")]
    pd.testing.assert_series_equal(scored[[f"{i}_contrib" for i in ids]].fillna(0).sum(axis=1),
                                   scored["composite"], check_names=False)
    assert set(live.indicators["indicator"]) >= {"X9", "X9_projects"}

    pd.testing.assert_frame_equal(stored.institutions, live.institutions)  # the stored run keeps it
    written = runs.write_outputs(stored, tmp_path / "out")
    csv = pd.read_csv(written[0], encoding="utf-8-sig", dtype={"inst_id": str}).set_index("inst_id")
    assert {"X9_raw", "X9_norm", "X9_contrib", "X9_projects"} <= set(csv.columns)
    assert (csv.loc[lent.index, "X9_raw"] == lent["loans_in_year"]).all()
    assert fmt.indicator_value("X9", 12, registry) == "12 笔"


def test_toy_query_file_is_gone_after_the_test():
    assert not Path(TOY_QUERY).exists()
