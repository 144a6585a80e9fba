"""R12, R16 — the month ends of a race in one query per indicator (the table cut_offs).

Every month end's loans, pooled projects and products are read off the latest cut-off's by the first day
a cut-off keeps them (counted_on: signed and filed; a disbursement once it falls by the cut-off too;
financed: pooled too; launched). Random loans of three lenders on projects filed or pooled before or
after signing and disbursement, random products: each cut-off of the one query gives what a query for
that cut-off alone gives, for the institutions' raw indicators and the districts'. (S1 and D5, the judged
stages, are checked the same way in tests/test_sla_properties.py.)
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import bootstrap, districts, indicators
from scoring.method import load_method
from scoring.period import Period, cut_off_table
from scoring.policy import load_policy

POLICY = load_policy()  # the built-in policy file
METHOD = load_method()  # the built-in method file
YEAR = 2025
ENTERPRISES = {  # an inclusive key borrower and a large state-owned one
    "91500103000000001A": ("500112", "small", "private", "specialized"),
    "91500101000000002B": ("500191", "large", "state", None),
}
E1, E2 = ENTERPRISES
PROJECTS = {"P1": (E1, "500112"), "P2": (E1, "500112"), "P3": (E2, "500191"), "P4": (E2, "500191")}
LENDERS = ("B1", "B2", "L1")

pytestmark = pytest.mark.slow  # hypothesis examples that fill a database


@pytest.fixture(scope="module")
def con():
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    con.execute("insert into institutions (inst_id, name, kind, local_legal_person, paid_in_capital) values "
                "('B1', '甲银行', 'bank', true, null), ('B2', '乙银行', 'bank', false, null), "
                "('L1', '丙租赁', 'leasing', true, 500000000)")
    for ent_id, (district, size, ownership, tags) in ENTERPRISES.items():
        con.execute("insert into enterprises values ($ent, '企业', $district, $size, $ownership, true, false, $tags)",
                    {"ent": ent_id, "district": district, "size": size, "ownership": ownership, "tags": tags})
    yield con
    con.close()


days = st.integers(0, 800).map(lambda n: date(2024, 1, 1) + timedelta(days=n))  # 2024-01-01 … 2026-03-11


@st.composite
def projects(draw):
    """Each project filed and pooled on any day of the two years, or never."""
    return [(project_id, ent_id, district, draw(st.none() | days), draw(st.none() | days))
            for project_id, (ent_id, district) in PROJECTS.items()]


@st.composite
def products(draw):
    """Each lender's innovative product launched on any day, undated, or not innovative."""
    return [(f"R-{inst_id}", inst_id, draw(st.none() | days), draw(st.booleans())) for inst_id in LENDERS]


@st.composite
def loans(draw):
    signed = draw(days)
    disbursed = signed + timedelta(days=draw(st.integers(0, 90))) if draw(st.booleans()) else None
    project_id = draw(st.sampled_from(sorted(PROJECTS)))
    inst_id = draw(st.sampled_from(LENDERS))
    return (inst_id, PROJECTS[project_id][0], project_id, "lease_direct" if inst_id == "L1" else "loan",
            draw(st.integers(1, 50)) * 1_000_000, draw(st.sampled_from(["0.0280", "0.0310", "0.0345"])),
            signed, disbursed, draw(st.sampled_from(["none", "tech", "agri_small"])),
            draw(st.sampled_from([f"R-{inst_id}", None])))


def _load(con, project_rows, product_rows, loan_rows) -> None:
    for table in ("loans", "projects", "products"):
        con.execute(f"delete from {table}")
    con.executemany("insert into projects (project_id, ent_id, district_code, filed_on, pooled_on, total_investment) "
                    "values (?, ?, ?, ?, ?, 10000000)", project_rows)
    con.executemany("insert into products (product_id, inst_id, name, category, launched_on, innovative) "
                    "values (?, ?, '产品', 'other', ?, ?)", product_rows)
    con.executemany("insert into loans (loan_id, inst_id, ent_id, project_id, kind, amount, rate, lpr, signed_on, "
                    "disbursed_on, relending, product_id) values (?, ?, ?, ?, ?, ?, ?, 0.0345, ?, ?, ?, ?)",
                    [(f"L{i:02d}", *row) for i, row in enumerate(loan_rows)])


def _alone_and_together(together: pd.DataFrame, period: Period, alone: pd.DataFrame) -> None:
    cut = together[together["until"] == period.until].drop(columns="until").reset_index(drop=True)
    pd.testing.assert_frame_equal(cut, alone, check_exact=True)


@settings(max_examples=30, deadline=None)
@given(project_rows=projects(), product_rows=products(), loan_rows=st.lists(loans(), min_size=1, max_size=20),
       months=st.lists(st.integers(1, 12), min_size=2, max_size=5, unique=True))
def test_each_month_end_of_one_query_is_that_month_end_alone(con, project_rows, product_rows, loan_rows, months):
    _load(con, project_rows, product_rows, loan_rows)
    periods = [Period.of(YEAR, (pd.Timestamp(YEAR, month, 1) + pd.offsets.MonthEnd(0)).date()) for month in months]
    institutions = indicators.raw_indicators_at(con, periods, METHOD, POLICY)
    units = districts.district_indicators_at(con, periods, METHOD, POLICY)
    for period in periods:
        _alone_and_together(institutions, period, indicators.raw_indicators(con, period, METHOD, POLICY))
        _alone_and_together(units, period, districts.district_indicators(con, period, METHOD, POLICY))


def test_one_query_takes_cut_offs_of_one_year_each_once():
    june, july = Period.of(YEAR, date(YEAR, 6, 30)), Period.of(YEAR, date(YEAR, 7, 31))
    with pytest.raises(ValueError, match="同一评价年度"):
        cut_off_table([june, Period.of(YEAR + 1, date(YEAR + 1, 1, 31))])
    with pytest.raises(ValueError, match="不得重复"):
        cut_off_table([june, july, june])
    with pytest.raises(ValueError, match="至少"):
        cut_off_table([])
