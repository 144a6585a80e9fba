"""The demo data generator (data/demo.py): deterministic, complete, and consistent with the policy.

Default-size checks read the session's demo database (`demo_path`, seed 7, until
2026-11-27); determinism and invariants use small databases of their own.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from data.demo import GENERATED, generate
from data.demo_kit import SORTED_LOOKUP_FROM, WorkDays, months_later, share_fen, text_column, weighted
from data.demo_loans import quarter_of, settlement_day
from data.demo_parties import credit_check, institutions, organisation_check
from scoring import bootstrap, creditcode
from scoring.contract import TABLES
from tests.conftest import DEMO_UNTIL

# Published 1-year and 5-year-plus LPR (People's Bank of China announcements).
LPR_HISTORY = (
    (date(2024, 2, 20), Decimal("0.0345"), Decimal("0.0395")),
    (date(2024, 7, 22), Decimal("0.0335"), Decimal("0.0385")),
    (date(2024, 10, 21), Decimal("0.0310"), Decimal("0.0360")),
    (date(2025, 5, 20), Decimal("0.0300"), Decimal("0.0350")),
)
HEAVY_DISTRICTS = (  # 两江新区, 渝北, 九龙坡, 璧山, 江津, 沙坪坝, 涪陵, 长寿, 永川, 合川, 高新区, 巴南
    "500191", "500112", "500107", "500120", "500116", "500106", "500102", "500115", "500118", "500117", "500192",
    "500113",
)
LIGHT_DISTRICTS = ("500229", "500238", "500242", "500237", "500243")  # 城口, 巫溪, 酉阳, 巫山, 彭水
CHECKSUM = "select count(*), coalesce(sum(hash(t)), 0) from {table} as t"

# Working-day ordinals of every milestone (calendar.work_ordinal, R9).
ORDINALS = """
    select a.*, r.work_ordinal as r_o, c.work_ordinal as c_o, d.work_ordinal as d_o, b.work_ordinal as b_o,
           u.work_ordinal as until_o
    from applications a
    join calendar r on r.day = a.registered_on
    left join calendar c on c.day = a.connected_on
    left join calendar d on d.day = a.decided_on
    left join calendar b on b.day = a.disbursed_on
    join calendar u on u.day = $until
"""


def scalar(con, sql: str, params: dict | None = None):
    return con.execute(sql, params or {}).fetchone()[0]


def fresh(seed: int = 3, loans: int = 300, until: date = DEMO_UNTIL) -> duckdb.DuckDBPyConnection:
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    generate(con, seed=seed, loans=loans, until=until)
    return con


def checksums(con) -> dict[str, tuple]:
    return {t: con.execute(CHECKSUM.format(table=t)).fetchone() for t in GENERATED}


@pytest.fixture(scope="module")
def demo(demo_path):
    con = duckdb.connect(str(demo_path), read_only=True)
    yield con
    con.close()


# ---- determinism and size ------------------------------------------------------------


def test_same_seed_gives_identical_data():
    first, second = fresh(seed=3), fresh(seed=3)
    assert checksums(first) == checksums(second)


def test_other_seed_gives_other_data():
    one, other = checksums(fresh(seed=3)), checksums(fresh(seed=4))
    for table in ("enterprises", "projects", "applications", "loans", "interest_payments"):
        assert one[table] != other[table], table


def test_tables_built_while_others_are_written_are_the_tables_built_at_once():
    """`generate` writes each table while the next is built (`reported.made_ahead`): the rows are
    those of building every table first and writing them together."""
    from data.demo import START, Sizes, Window, build
    from data.demo_kit import arrow_table
    from scoring.reported import write_tables

    at_once = bootstrap.connect(":memory:", demo_if_missing=False)
    window = Window.of(WorkDays.from_db(at_once), START, np.datetime64(DEMO_UNTIL, "D"))
    tables = build(np.random.default_rng(3), window, Sizes.for_loans(300))
    assert write_tables(at_once, {name: arrow_table(rows) for name, rows in tables.items()})["loans"] == 300
    assert checksums(at_once) == checksums(fresh(seed=3))


def test_a_table_that_fails_to_build_leaves_nothing_written():
    from data.demo_parties import institution_rows
    from data.demo_kit import arrow_table
    from scoring.reported import write_tables

    def tables():
        yield "institutions", arrow_table(institution_rows(institutions()))
        raise RuntimeError("生成失败")

    con = bootstrap.connect(":memory:", demo_if_missing=False)
    with pytest.raises(RuntimeError, match="生成失败"):
        write_tables(con, tables())
    assert scalar(con, "select count(*) from institutions") == 0
    with pytest.raises(ValueError, match="不是可写入演示数据的表：districts"):
        write_tables(con, iter([("institutions", arrow_table(institution_rows(institutions()))),
                                ("districts", pa.table({"x": pa.array([], pa.int64())}))]))
    assert scalar(con, "select count(*) from institutions") == 0


def primary_keys(con) -> dict[str, tuple]:
    rows = con.execute("select table_name, constraint_column_names from duckdb_constraints() "
                       "where constraint_type = 'PRIMARY KEY'").fetchall()
    return {table: tuple(columns) for table, columns in rows if table in TABLES}


def test_tables_loaded_keyless_get_the_contract_s_keys():
    """`write_tables` loads empty tables without their keys and declares them after the load: the
    demo database ends with every key of the contract, and the keys refuse a second row of an id."""
    con = fresh()
    assert primary_keys(con) == {name: table.key for name, table in TABLES.items()}
    with pytest.raises(duckdb.ConstraintException):
        con.execute("insert into loans select * from loans limit 1")


def test_a_load_with_a_repeated_id_writes_nothing_and_keeps_the_keys():
    from data.demo_kit import arrow_table
    from data.demo_parties import institution_rows
    from scoring.reported import write_tables

    con = bootstrap.connect(":memory:", demo_if_missing=False)
    rows = arrow_table(institution_rows(institutions()))
    twice = pa.concat_tables([rows, rows.slice(0, 1)])
    with pytest.raises(ValueError, match=r"^演示数据表 institutions 的编号（inst_id）有重复，未写入任何数据$"):
        write_tables(con, {"institutions": twice})
    assert scalar(con, "select count(*) from institutions") == 0
    assert primary_keys(con) == {name: table.key for name, table in TABLES.items()}
    assert write_tables(con, {"institutions": rows})["institutions"] == rows.num_rows


def test_a_table_written_beside_filled_ones_keeps_their_rows():
    """Only empty tables are loaded keyless (created again): a table already filled keeps its rows."""
    from data.demo_kit import arrow_table
    from data.demo_parties import institution_rows
    from scoring.reported import write_tables

    con = fresh()
    before = checksums(con)
    institutions_only = bootstrap.connect(":memory:", demo_if_missing=False)
    write_tables(institutions_only, {"institutions": arrow_table(institution_rows(institutions()))})
    loans = con.cursor().sql(
        "select * exclude (amount, land_amount, rate, lpr, credit_line), "
        "cast(amount * 100 as bigint) as amount_fen, cast(land_amount * 100 as bigint) as land_amount_fen, "
        "cast(rate * 1e6 as bigint) as rate_micro, cast(lpr * 1e6 as bigint) as lpr_micro, "
        "cast(credit_line * 100 as bigint) as credit_line_fen from loans").to_arrow_table()
    write_tables(institutions_only, {"loans": loans})
    assert checksums(institutions_only)["institutions"] == before["institutions"]
    assert checksums(institutions_only)["loans"] == before["loans"]
    assert primary_keys(institutions_only) == {name: table.key for name, table in TABLES.items()}


def test_small_size_gives_the_loans_asked_for():
    """(Its time is measured in bench/bench_budgets.py.)"""
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    counts = generate(con, seed=1, loans=1_000, until=DEMO_UNTIL)
    assert counts["loans"] == 1_000


def test_default_row_counts_are_in_range(demo):
    counts = {t: scalar(demo, f"select count(*) from {t}") for t in GENERATED}
    assert counts["loans"] == 6_000
    assert counts["enterprises"] == 3_000
    assert 6_000 < counts["applications"] < 8_000  # funded ones plus rejected, withdrawn and open
    assert 4_000 < counts["projects"] < 8_000
    assert counts["interest_payments"] > 3 * counts["loans"]  # quarterly, over up to 2.5 years
    assert 200 < counts["guarantees"] < 1_500
    assert 50 < counts["insurance_policies"] < 500
    assert 30 < counts["products"] < 150
    assert 10 < counts["cases"] < 100
    assert scalar(demo, "select count(*) from holidays") == 0  # the package's calendar is enough


def test_refuses_a_database_that_already_has_data():
    con = fresh()
    with pytest.raises(ValueError, match="已有报送数据"):
        generate(con, seed=3, loans=300, until=DEMO_UNTIL)


def test_refuses_an_end_day_too_close_to_the_start(empty_con):
    with pytest.raises(ValueError, match="过早"):
        generate(empty_con, loans=100, until=date(2024, 7, 1))


# ---- parties ---------------------------------------------------------------------------


def test_institutions_are_the_expected_mix(demo):
    kinds = dict(demo.execute("select kind, count(*) from institutions group by kind").fetchall())
    assert 20 <= kinds["bank"] <= 30 and 6 <= kinds["leasing"] <= 10
    assert kinds["guarantee"] >= 2 and kinds["insurer"] >= 2
    assert scalar(demo, "select count(*) from institutions where not regexp_full_match(inst_id, '[BLGI][0-9]{2}')") == 0
    local_banks = {r[0] for r in demo.execute(
        "select name from institutions where kind = 'bank' and local_legal_person").fetchall()}
    assert {"重庆银行股份有限公司", "重庆农村商业银行股份有限公司", "重庆三峡银行股份有限公司"} <= local_banks


def test_some_leasing_companies_miss_the_paid_in_capital_line(demo):
    """Selection eligibility (METHOD.md): registered in Chongqing ≥ 200 M paid-in, elsewhere ≥ 2 bn."""
    rows = demo.execute("""
        select paid_in_capital >= case when local_legal_person then 200000000 else 2000000000 end as eligible,
               local_legal_person, count(*)
        from institutions where kind = 'leasing' group by all
    """).fetchall()
    counts = {(eligible, local): n for eligible, local, n in rows}
    assert counts.get((False, True), 0) >= 1 and counts.get((False, False), 0) >= 1
    assert counts.get((True, True), 0) >= 2 and counts.get((True, False), 0) >= 1


def test_credit_codes_are_valid_unique_and_chongqing(demo):
    codes = [r[0] for r in demo.execute("select ent_id from enterprises").fetchall()]
    assert len(set(codes)) == len(codes)
    assert all(creditcode.problem(c) is None for c in codes)
    assert all(c.startswith("91500") for c in codes)


def test_credit_check_characters_agree_with_the_checker():
    first17 = np.array([list("91500112MA5U6K4F9"), list("91500107202802941")])
    assert list(credit_check(first17)) == [creditcode.check_character("".join(row)) for row in first17]


def test_organisation_code_check_character():
    # GB 11714 weights 3,7,9,10,5,8,4,2 over "12345678":
    # 3+14+27+40+25+48+28+16 = 201; 201 mod 11 = 3; 11 − 3 = 8.
    # Over "MA5U6K4F" (M=22, A=10, U=30, K=20, F=15):
    # 66+70+45+300+30+160+16+30 = 717; 717 mod 11 = 2; 11 − 2 = 9.
    body = np.array([list("12345678"), list("MA5U6K4F")])
    assert list(organisation_check(body)) == ["8", "9"]


def test_enterprise_names_sizes_and_ownership_are_plausible(demo):
    assert scalar(demo, "select count(*) from enterprises where not (name like '重庆%' and name like '%公司')") == 0
    assert scalar(demo, "select count(distinct name) = count(*) from enterprises")
    private = scalar(demo, "select avg((ownership = 'private')::int) from enterprises")
    small_or_medium = scalar(demo, "select avg((size in ('small', 'medium', 'micro'))::int) from enterprises")
    assert private > 0.6 and small_or_medium > 0.85
    agricultural = scalar(demo, "select avg(agricultural::int) from enterprises")
    assert 0 < agricultural < 0.2


def test_tags_have_realistic_rarity(demo):
    def share(tag):
        return scalar(demo, "select avg(list_contains(string_split(coalesce(tags, ''), ';'), $t)::int) from enterprises",
                      {"t": tag})

    assert 0.08 < share("specialized") < 0.3
    assert 0 < share("little_giant") < share("specialized")
    assert 0 < share("unicorn") < 0.01
    assert 0.03 < share("whitelist") < 0.25
    # a 小巨人 is a 专精特新 firm first
    assert scalar(demo, "select count(*) from enterprises where tags like '%little_giant%' and tags not like '%specialized%'") == 0


def test_heavy_manufacturing_districts_hold_most_firms(demo):
    heavy = scalar(demo, "select avg((district_code in $codes)::int) from enterprises", {"codes": list(HEAVY_DISTRICTS)})
    assert heavy > 0.55
    for code in LIGHT_DISTRICTS:
        assert scalar(demo, "select avg((district_code = $c)::int) from enterprises", {"c": code}) < 0.01


# ---- references and dates ----------------------------------------------------------------


@pytest.mark.parametrize("table", [t for t in GENERATED if any(c.ref for c in TABLES[t].columns)])
def test_every_reference_exists(demo, table):
    for column in TABLES[table].columns:
        if column.ref:
            target, key = column.ref.split(".")
            missing = scalar(demo, f"""
                select count(*) from {table} as x
                where x.{column.name} is not null
                  and x.{column.name} not in (select {key} from {target})
            """)
            assert missing == 0, f"{table}.{column.name}"


def test_roles_of_referenced_institutions(demo):
    assert scalar(demo, """select count(*) from loans join institutions using (inst_id)
                           where institutions.kind not in ('bank', 'leasing')""") == 0
    assert scalar(demo, """select count(*) from loans join institutions using (inst_id)
                           where (institutions.kind = 'bank') <> (loans.kind = 'loan')""") == 0
    assert scalar(demo, """select count(*) from guarantees join institutions on inst_id = guarantor_id
                           where institutions.kind <> 'guarantee'""") == 0
    assert scalar(demo, """select count(*) from insurance_policies join institutions on inst_id = insurer_id
                           where institutions.kind <> 'insurer'""") == 0


def test_loans_match_their_application_and_project(demo):
    assert scalar(demo, """
        select count(*) from loans l join applications a using (app_id)
        where a.inst_id <> l.inst_id or a.ent_id <> l.ent_id or a.project_id <> l.project_id
           or a.decision <> 'approved' or a.disbursed_on <> l.disbursed_on or l.signed_on < a.decided_on
    """) == scalar(demo, "select count(*) from loans l join applications a using (app_id) "
                         "where l.inst_id = 'B15' and l.signed_on = a.decided_on - 3")  # the deliberate Q3 problems
    assert scalar(demo, "select count(*) from loans l join projects p using (project_id) where p.ent_id <> l.ent_id") == 0
    without_app = scalar(demo, "select avg((app_id is null)::int) from loans")
    assert 0.05 < without_app < 0.2


def test_nothing_happens_after_until_or_before_the_start(demo):
    until = {"until": DEMO_UNTIL}
    for table, column in (("applications", "registered_on"), ("applications", "connected_on"),
                          ("applications", "decided_on"), ("applications", "disbursed_on"), ("loans", "signed_on"),
                          ("loans", "disbursed_on"), ("interest_payments", "paid_on"), ("guarantees", "paid_on"),
                          ("projects", "pooled_on"), ("products", "launched_on")):
        assert scalar(demo, f"select count(*) from {table} where {column} > $until", until) == 0, column
    assert scalar(demo, "select min(registered_on) from applications") >= date(2024, 6, 1)
    assert scalar(demo, "select min(signed_on) from loans") >= date(2024, 6, 1)


def test_projects_are_filed_before_financing(demo):
    assert scalar(demo, "select count(*) from loans join projects using (project_id) where filed_on > signed_on") == 0
    assert scalar(demo, "select count(*) from projects where pooled_on < filed_on") == 0


def test_every_r1_refusal_reason_occurs(demo):
    """R1: not filed, not pooled, below 1,000,000 excluding land, land portion, not manufacturing."""
    financed = "from loans join projects using (project_id) join enterprises on enterprises.ent_id = projects.ent_id"
    assert scalar(demo, f"select count(*) {financed} where filed_on is null") > 0
    assert scalar(demo, f"select count(*) {financed} where filed_on is not null and pooled_on is null") > 0
    assert scalar(demo, f"select count(*) {financed} where pooled_on > signed_on") > 0  # pooled only later
    assert scalar(demo, f"select count(*) {financed} where total_investment < 1000000") > 0
    assert scalar(demo, f"select count(*) {financed} where not manufacturing") > 0
    assert scalar(demo, "select count(*) from projects where total_investment >= 1000000 "
                        "and total_investment - land_cost < 1000000") > 0
    assert scalar(demo, "select max(total_investment) from projects") > 100_000_000


# ---- "3个1" milestones (R9, R10, R11) ---------------------------------------------------------


def test_milestones_are_in_order_and_on_working_days(demo):
    assert scalar(demo, """
        select count(*) from applications
        where connected_on < registered_on or decided_on < connected_on or disbursed_on < decided_on
           or decided_on < registered_on
    """) == 0
    for column in ("connected_on", "decided_on", "disbursed_on"):
        assert scalar(demo, f"""select count(*) from applications join calendar on day = {column}
                                where not working""") == 0, column
    assert scalar(demo, "select count(*) from loans join calendar on day = disbursed_on where not working") == 0
    # a few needs are registered online on a rest day
    assert scalar(demo, "select count(*) from applications join calendar on day = registered_on where not working") > 0


def test_decisions_and_milestones_agree(demo):
    assert scalar(demo, """select count(*) from applications
                           where (decision = 'pending' and decided_on is not null)
                              or (decision in ('approved', 'rejected') and (decided_on is null or connected_on is null))
                              or (decision <> 'approved' and disbursed_on is not null)""") == 0
    decisions = dict(demo.execute("select decision, count(*) from applications group by 1").fetchall())
    assert set(decisions) == {"approved", "rejected", "withdrawn", "pending"}


def test_each_stage_has_met_and_breached_cases(demo):
    """R10: connect within 1 working day, decide within 5 of connecting, disburse within 5 of approval."""
    rows = demo.execute(f"""
        with o as ({ORDINALS})
        select
            count(*) filter (where c_o - r_o <= 1), count(*) filter (where c_o - r_o > 1),
            count(*) filter (where decision in ('approved', 'rejected') and d_o - c_o <= 5),
            count(*) filter (where decision in ('approved', 'rejected') and d_o - c_o > 5),
            count(*) filter (where b_o - d_o <= 5), count(*) filter (where b_o - d_o > 5)
        from o
    """, {"until": DEMO_UNTIL}).fetchone()
    met_connect, late_connect, met_decide, late_decide, met_disburse, late_disburse = rows
    for met, late in ((met_connect, late_connect), (met_decide, late_decide), (met_disburse, late_disburse)):
        assert late > 0 and met > 4 * late


def test_fast_banks_keep_the_limits_more_often_than_slow_ones(demo):
    rows = demo.execute(f"""
        with o as ({ORDINALS})
        select inst_id, avg(case when decision in ('approved', 'rejected') then (d_o - c_o <= 5)::int end)
        from o group by inst_id
    """, {"until": DEMO_UNTIL}).fetchall()
    rate = dict(rows)
    speed = institutions().set_index("inst_id")["speed"]
    fast = np.mean([rate[i] for i in speed.index[speed == "fast"]])
    slow = np.mean([rate[i] for i in speed.index[speed == "slow"]])
    assert fast > slow + 0.1


def test_open_applications_at_until_include_ones_at_risk_and_overdue(demo):
    rows = demo.execute(f"""
        with o as ({ORDINALS})
        select
            count(*) filter (where connected_on is null and decided_on is null),
            count(*) filter (where decision = 'pending' and c_o is not null and until_o - c_o between 4 and 5),
            count(*) filter (where decision = 'pending' and c_o is not null and until_o - c_o > 5),
            count(*) filter (where decision = 'approved' and disbursed_on is null and until_o - d_o <= 5),
            count(*) filter (where decision = 'approved' and disbursed_on is null and until_o - d_o > 5)
        from o
    """, {"until": DEMO_UNTIL}).fetchone()
    # not connected yet; deciding with ≤ 1 working day left; deciding overdue; disbursing open; disbursing overdue
    assert min(rows) > 0, rows


def test_simplified_review_only_for_eligible_approvals(demo):
    """R11: green loans, whitelisted firms and equipment-only projects may use a brief opinion."""
    eligible = """(p.green or p.equipment_only or list_contains(string_split(coalesce(e.tags, ''), ';'), 'whitelist'))"""
    base = "from applications a join enterprises e using (ent_id) left join projects p using (project_id)"
    assert scalar(demo, f"select count(*) {base} where simplified_review and not ({eligible} and decision = 'approved')") == 0
    used = scalar(demo, f"select count(*) {base} where simplified_review")
    unused = scalar(demo, f"select count(*) {base} where decision = 'approved' and {eligible} and not simplified_review")
    assert used > 0 and unused > 0


# ---- loans, rates, re-lending (R2, R3, R8) -------------------------------------------------------


# The demo's deliberate data-quality problems Q1 (scoring/bootstrap.py QUALITY_PROBLEMS): B18 reports an LPR 25 bp off on
# about a tenth of its 2026 loans, B09 books a few 2026 loans 200 bp lower.
WRONG_LPR = "inst_id = 'B18' and year(signed_on) = 2026 and right(loan_id, 1) = '5'"
CUT_RATE = "inst_id = 'B09' and year(signed_on) = 2026 and cast(right(loan_id, 2) as integer) % 25 = 7"


def test_lpr_is_the_published_rate_of_the_signing_day(demo):
    rows = demo.execute(f"select signed_on, maturity_on, lpr, {WRONG_LPR} from loans").fetchall()
    for signed, maturity, lpr, wrong in rows:
        _, one_year, five_year = [h for h in LPR_HISTORY if h[0] <= signed][-1]
        long_term = maturity > signed.replace(year=signed.year + 5)
        assert lpr == (five_year if long_term else one_year) + (Decimal("0.0025") if wrong else 0), (signed, lpr)


def test_rates_sit_around_the_lpr(demo):
    banks = demo.execute(f"""select avg((rate < lpr)::int), avg((rate > lpr)::int), max(abs(rate - lpr))
                             from loans where kind = 'loan' and not ({CUT_RATE})""").fetchone()
    below, above, widest = banks
    assert below > 0.5 and above > 0.05 and widest <= Decimal("0.02")
    low, high = demo.execute("select min(rate), max(rate) from loans where kind <> 'loan'").fetchone()
    assert Decimal("0.045") <= low and high <= Decimal("0.07")


def test_key_firms_get_a_little_cheaper_bank_loans(demo):
    """十四: better prices for 专精特新, 小巨人, gazelles and unicorns (P2 in METHOD.md)."""
    key, other = demo.execute("""
        select avg(lpr - rate) filter (where key), avg(lpr - rate) filter (where not key) from (
            select l.rate, l.lpr, coalesce(regexp_matches(e.tags, 'unicorn|gazelle|specialized|little_giant'), false) as key
            from loans l join enterprises e using (ent_id) where l.kind = 'loan')
    """).fetchone()
    assert key > other


def test_agri_small_relending_follows_r8_but_for_the_planted_errors(demo):
    """R8: agri-small re-lending needs a local legal-person lender and an agricultural, small or
    micro, or private (credit below 30 M) borrower; three loans break it on purpose."""
    violations = scalar(demo, """
        select count(*) from loans l join institutions i using (inst_id) join enterprises e using (ent_id)
        where l.relending = 'agri_small' and not (
            i.local_legal_person
            and (e.agricultural or e.size in ('small', 'micro')
                 or (e.ownership = 'private' and coalesce(l.credit_line < 30000000, false))))
    """)
    assert violations == 3  # a private firm without a reported credit line is not shown eligible
    assert scalar(demo, "select count(*) from loans where relending = 'agri_small'") > 100
    assert scalar(demo, "select count(*) from loans where relending = 'tech'") > 100


def test_amounts_and_land_portions_are_plausible(demo):
    smallest, largest = demo.execute("select min(amount), max(amount) from loans").fetchone()
    assert smallest >= 10_000 and largest <= 1_000_000_000
    assert scalar(demo, "select count(*) from loans where amount % 10000 <> 0") == 0  # whole 万元
    with_land = scalar(demo, "select avg((land_amount > 0)::int) from loans")
    assert 0 < with_land < 0.1
    assert scalar(demo, """select count(*) from loans join projects using (project_id)
                           where land_amount > 0 and land_cost = 0""") == 0
    assert scalar(demo, "select count(*) from loans where credit_line < amount") == 0


# ---- interest, guarantees, insurance ---------------------------------------------------------


def deliberate_loans(demo) -> list[str]:
    """The loans behind the demo's deliberate data-quality problems (scoring/bootstrap.py QUALITY_PROBLEMS):
    B09's cut rates, L04's inflated rent interest and B07's loans reported twice."""
    return [row[0] for row in demo.execute(f"""
        select loan_id from loans where {CUT_RATE}
        union select loan_id from loans where inst_id = 'L04' and year(signed_on) >= 2025
        union select b.loan_id from loans a join loans b
            on a.inst_id = b.inst_id and a.ent_id = b.ent_id and a.amount = b.amount and a.signed_on = b.signed_on
           and a.loan_id < b.loan_id""").fetchall()]


def test_interest_is_amount_times_rate_times_days_over_360(demo):
    rows = demo.execute("""
        select l.amount, l.rate, p.period_start, p.period_end, p.interest_paid
        from interest_payments p join loans l using (loan_id)
        where l.loan_id not in (select unnest($skip)) using sample 300 rows (reservoir, 11)
    """, {"skip": deliberate_loans(demo)}).fetchall()
    for amount, rate, start, end, paid in rows:
        days = (end - start).days + 1
        expected = (amount * rate * days / 360).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert paid == expected


def test_interest_periods_run_without_gaps_from_disbursement(demo):
    assert scalar(demo, """
        with ordered as (
            select loan_id, period_start, period_end, paid_on,
                   lag(period_end) over (partition by loan_id order by period_start) as previous_end,
                   row_number() over (partition by loan_id order by period_start) as k
            from interest_payments)
        select count(*) from ordered join loans using (loan_id)
        where ((k = 1 and period_start <> loans.disbursed_on)
               or (k > 1 and period_start <> previous_end + 1)
               or paid_on <= period_end
               or period_end >= loans.maturity_on)
          and loan_id not in (select unnest($skip))
    """, {"skip": deliberate_loans(demo)}) == 0
    # regular interest days are the 20th of March, June, September and December
    regular = scalar(demo, """select avg((day(period_end) = 20 and month(period_end) in (3, 6, 9, 12))::int)
                              from interest_payments""")
    assert regular > 0.95


def test_matured_loans_pay_their_last_interest_at_maturity(demo):
    assert scalar(demo, "select count(*) from loans where maturity_on <= $u", {"u": DEMO_UNTIL}) > 0
    assert scalar(demo, """
        select count(*) from loans
        where maturity_on <= $u and disbursed_on < maturity_on - 1
          and maturity_on - 1 not in (select period_end from interest_payments p where p.loan_id = loans.loan_id)
    """, {"u": DEMO_UNTIL}) == 0


def test_guarantee_fees_straddle_the_one_percent_line(demo):
    """R5 rewards only guarantees whose annual fee rate is at most 1 %."""
    at_most, above = demo.execute("""select count(*) filter (where fee_rate <= 0.01), count(*) filter (where fee_rate > 0.01)
                                     from guarantees""").fetchone()
    assert at_most > 0 and above > 0
    for guaranteed, rate, fee in demo.execute("select guaranteed_amount, fee_rate, fee_paid from guarantees").fetchall():
        assert fee == (guaranteed * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert scalar(demo, """select count(*) from guarantees g join loans l using (loan_id)
                           where g.guaranteed_amount > l.amount or g.paid_on <> l.signed_on""") == 0


def test_insurance_has_all_kinds_and_some_first_set_premiums_above_three_percent(demo):
    """R6 counts a first-set premium at most at a 3 % rate."""
    kinds = {r[0] for r in demo.execute("select distinct kind from insurance_policies").fetchall()}
    assert kinds == {"first_set_equipment", "software_first_version", "project_cost_loss"}
    above, within_line = demo.execute("""
        select count(*) filter (where premium > 0.03 * insured_amount), count(*) filter (where premium <= 0.03 * insured_amount)
        from insurance_policies where kind = 'first_set_equipment'""").fetchone()
    assert above > 0 and within_line > 0
    assert scalar(demo, "select count(*) from insurance_policies where kind = 'project_cost_loss' and project_id is null") == 0


# ---- products, cases, cooperation, flags (R13, R17) --------------------------------------------


def test_products_cover_the_five_modes_and_some_are_innovative(demo):
    categories = {r[0] for r in demo.execute("select distinct category from products").fetchall()}
    assert categories == {"pre_project_plus_project", "bank_plus_leasing", "investment_loan_linkage", "supply_chain", "other"}
    assert 0 < scalar(demo, "select avg(innovative::int) from products") < 1
    assert scalar(demo, """select count(*) from loans l join products p using (product_id)
                           where p.inst_id <> l.inst_id or p.launched_on > l.signed_on""") == 0
    assert scalar(demo, "select count(*) from loans where product_id is not null") > 500


def test_cases_tell_real_loans_of_their_institution(demo):
    assert scalar(demo, """select count(*) from cases c
                           where not exists (select 1 from loans l where l.inst_id = c.inst_id and l.ent_id = c.ent_id
                                                                  and year(l.disbursed_on) = c.year)""") == 0


def test_cooperation_lists_of_the_call(demo):
    """R13: 2024 call chose 5 banks and 4 leasing companies; the 2025 list changed a little."""
    rows = demo.execute("""select year, kind, list(inst_id order by inst_id), min(source), max(source)
                           from cooperation join institutions using (inst_id) group by all""").fetchall()
    lists = {(year, kind): set(ids) for year, kind, ids, *_ in rows}
    assert {source for *_, low, high in rows for source in (low, high)} == {"call"}
    assert len(lists[(2024, "bank")]) == 5 and len(lists[(2024, "leasing")]) == 4
    for kind in ("bank", "leasing"):
        kept = lists[(2024, kind)] & lists[(2025, kind)]
        assert lists[(2024, kind)] != lists[(2025, kind)] and len(kept) >= 3


def test_flags_include_a_veto_for_a_bank_in_2025(demo):
    kinds = demo.execute("""select f.kind, i.kind, f.year from flags f join institutions i using (inst_id)""").fetchall()
    assert ("violation", "bank", 2025) in kinds
    assert {k for k, *_ in kinds} == {"violation", "risk_event", "data_quality"}


# ---- invariants at any seed, size and end day -------------------------------------------------


@pytest.mark.slow  # hypothesis examples that each build a demo database
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31),
    loans=st.integers(20, 400),
    until=st.dates(date(2024, 9, 1), date(2027, 6, 30)),
)
def test_invariants_hold_for_any_seed_size_and_end_day(seed, loans, until):
    con = fresh(seed=seed, loans=loans, until=until)
    assert scalar(con, "select count(*) from loans") == loans
    latest = scalar(con, """select max(d) from (
        select max(greatest(registered_on, connected_on, decided_on, disbursed_on)) d from applications
        union all select max(greatest(signed_on, disbursed_on)) from loans
        union all select max(paid_on) from interest_payments)""")
    assert latest <= until
    assert scalar(con, """select count(*) from applications join calendar on day = disbursed_on where not working""") == 0
    assert scalar(con, "select count(*) from loans where disbursed_on < signed_on or maturity_on <= signed_on") == 0
    years = {r[0] for r in con.execute("select distinct year from cooperation union select distinct year from flags").fetchall()}
    assert max(years) <= until.year


# ---- the vectorised helpers ---------------------------------------------------------------------


def test_months_later_keeps_the_day_or_the_month_end():
    days = np.array(["2024-01-31", "2024-06-15", "2025-12-31"], dtype="datetime64[D]")
    later = months_later(days, np.array([1, 12, 2]))
    assert list(later.astype(str)) == ["2024-02-29", "2025-06-15", "2026-02-28"]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), options=st.sampled_from([3, 41, SORTED_LOOKUP_FROM, 200_000]),
       draws=st.integers(0, 5_000))
def test_weighted_draws_what_numpy_s_choice_draws(seed, options, draws):
    """`weighted` looks many options up in sorted order (a speed-up): the indices and the state of the
    stream after them are numpy's `Generator.choice` ones, so the demo's rows do not change."""
    weights = np.random.default_rng(seed).lognormal(size=options)
    ours, numpy = np.random.default_rng(seed), np.random.default_rng(seed)
    assert np.array_equal(weighted(ours, draws, weights), numpy.choice(options, size=draws, p=weights / weights.sum()))
    assert ours.random() == numpy.random()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=6) | st.sampled_from(["500191", "B07", "91500000MA5U000013"]), max_size=30))
@example(["500191", "500112", "500000"])  # the direct layout
@example(["重庆市", "两江新区"])
def test_numpy_text_becomes_the_arrow_strings_pyarrow_makes(cells):
    """`text_column` lays fixed-width ASCII codes out directly; every other text goes through pyarrow."""
    values = np.array(cells, dtype=str) if cells else np.array([], dtype="<U1")
    column = text_column(values)
    assert column.type == pa.string()
    assert column.to_pylist() == pa.array(values).to_pylist()


def test_share_fen_rounds_half_up():
    # 1,000,000.00 yuan at 3.45 % for 92 days: 1e6 × 0.0345 × 92 / 360 = 8,816.666… → 8,816.67,
    # the formula interest_payments uses in fen and micro-units.
    fen, micro, days = 100_000_000, 34_500, 92
    assert (fen * micro * days + 180_000_000) // 360_000_000 == 881_667
    # 0.5 fen rounds up: 1 fen × 50 % = 0.5 → 1; 3 fen × 50 % = 1.5 → 2
    assert list(share_fen(np.array([1, 3]), np.array([500_000, 500_000]))) == [1, 2]


def test_interest_days_are_the_twentieth_of_quarter_end_months():
    days = np.array(["2024-06-20", "2024-06-21", "2025-01-02"], dtype="datetime64[D]")
    quarters = quarter_of(days)
    assert list(settlement_day(quarters).astype(str)) == ["2024-06-20", "2024-06-20", "2025-03-20"]


def test_working_days_follow_the_holiday_schedule(empty_con):
    """R9 example: from 2025-09-30 one working day is 2025-10-09 (holiday 10-01…10-08)."""
    cal = WorkDays.from_db(empty_con)
    ordinal = cal.ordinal_of(np.array(["2025-09-30"], dtype="datetime64[D]"))
    assert str(cal.day_of(ordinal + 1)[0]) == "2025-10-09"
    makeup_sunday = np.array(["2025-09-28"], dtype="datetime64[D]")  # 国庆节调休上班
    assert cal.is_working(makeup_sunday)[0]



def test_r15_demo_grades_are_calibrated_a_fifth_at_most_on_the_interview_list(demo):
    """Most institutions meet most time limits and a few laggards are clearly worse; under the
    default goalposts no more than about a fifth of the scored land on the 约谈 list, each with
    a reason a regulator can read out (R15)."""
    from scoring.evaluation import evaluate

    table = evaluate(demo, 2025, draws=0).institutions
    scored = table[table["status"] == "scored"]
    assert scored["tier"].notna().all()
    compliance = scored["S1_raw"]
    assert (compliance >= 0.85).mean() >= 0.8 and (compliance < 0.8).sum() >= 2  # most keep the limits; laggards
    interviewed = table[table["interview"]]
    assert 1 <= len(interviewed) <= round(0.22 * len(scored))
    assert interviewed["interview_reason"].str.contains("失分最多的是|达标率").all()
    assert set(scored["grade"]) >= {"二级", "三级", "四级"}
