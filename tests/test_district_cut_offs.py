"""R16 — the district race's month ends in one query (districts/indicators over the table cut_offs).

Every month end's loans and pooled projects are read off the latest cut-off's by the first day a
cut-off keeps them (counted_on: signed and filed; financed_on: pooled too). Random loans whose project is
filed or pooled before or after signing and disbursement: each cut-off of the one query gives what a
query for that cut-off alone gives. (D5, the judged stages, is checked the same way in
tests/test_sla_properties.py.)
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import bootstrap, districts
from scoring.method import load_method
from scoring.period import Period
from scoring.policy import load_policy

POLICY = load_policy()  # the built-in policy file
METHOD = load_method()  # the built-in method file
YEAR = 2025
ENTERPRISES = {"91500103000000001A": "500112", "91500101000000002B": "500191"}
E1, E2 = ENTERPRISES
PROJECTS = {"P1": (E1, "500112"), "P2": (E1, "500112"), "P3": (E2, "500191"), "P4": (E2, "500191")}

pytestmark = pytest.mark.slow  # hypothesis examples that fill a database


@pytest.fixture(scope="module")
def con():
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    con.execute("insert into institutions (inst_id, name, kind, local_legal_person, paid_in_capital) "
                "values ('B1', '甲银行', 'bank', false, null)")
    for ent_id, district in ENTERPRISES.items():
        con.execute("insert into enterprises values ($ent, '企业', $district, 'small', 'private', true, false, null)",
                    {"ent": ent_id, "district": district})
    yield con
    con.close()


days = st.integers(0, 800).map(lambda n: date(2024, 1, 1) + timedelta(days=n))  # 2024-01-01 … 2026-03-11


@st.composite
def projects(draw):
    """Each project filed and pooled on any day of the two years, or never."""
    return [(project_id, ent_id, district, draw(st.none() | days), draw(st.none() | days))
            for project_id, (ent_id, district) in PROJECTS.items()]


@st.composite
def loans(draw):
    signed = draw(days)
    disbursed = signed + timedelta(days=draw(st.integers(0, 90))) if draw(st.booleans()) else None
    project_id = draw(st.sampled_from(sorted(PROJECTS)))
    amount = draw(st.integers(1, 50)) * 1_000_000
    return project_id, PROJECTS[project_id][0], amount, signed, disbursed


def _load(con, project_rows, loan_rows) -> None:
    con.execute("delete from loans")
    con.execute("delete from projects")
    con.executemany("insert into projects (project_id, ent_id, district_code, filed_on, pooled_on, total_investment) "
                    "values (?, ?, ?, ?, ?, 10000000)", project_rows)
    con.executemany("insert into loans (loan_id, inst_id, ent_id, project_id, kind, amount, rate, lpr, signed_on, "
                    "disbursed_on) values (?, 'B1', ?, ?, 'loan', ?, 0.03, 0.035, ?, ?)",
                    [(f"L{i:02d}", ent_id, project_id, amount, signed, disbursed)
                     for i, (project_id, ent_id, amount, signed, disbursed) in enumerate(loan_rows)])


@settings(max_examples=30, deadline=None)
@given(project_rows=projects(), loan_rows=st.lists(loans(), min_size=1, max_size=20),
       months=st.lists(st.integers(1, 12), min_size=2, max_size=5, unique=True))
def test_r16_each_month_end_of_one_query_is_that_month_end_alone(con, project_rows, loan_rows, months):
    _load(con, project_rows, loan_rows)
    periods = [Period.of(YEAR, (pd.Timestamp(YEAR, month, 1) + pd.offsets.MonthEnd(0)).date()) for month in months]
    together = districts.district_indicators_at(con, periods, METHOD, POLICY)
    for period in periods:
        alone = districts.district_indicators(con, period, METHOD, POLICY)
        cut = together[together["until"] == period.until].drop(columns="until").reset_index(drop=True)
        pd.testing.assert_frame_equal(cut, alone, check_exact=True)


def test_one_query_takes_cut_offs_of_one_year_each_once(con):
    june, july = Period.of(YEAR, date(YEAR, 6, 30)), Period.of(YEAR, date(YEAR, 7, 31))
    with pytest.raises(ValueError, match="同一评价年度"):
        districts.district_indicators_at(con, [june, Period.of(YEAR + 1, date(YEAR + 1, 1, 31))], METHOD, POLICY)
    with pytest.raises(ValueError, match="不得重复"):
        districts.district_indicators_at(con, [june, july, june], METHOD, POLICY)
    with pytest.raises(ValueError, match="至少"):
        districts.district_indicators_at(con, [], METHOD, POLICY)
