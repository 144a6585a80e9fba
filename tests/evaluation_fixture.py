"""A small evaluation database whose indicator values are worked out by hand.

Evaluation year 2025. Six banks and three leasing companies:
- B1 scored, B2 scored (new lender in 2025), B3 scored (local legal person, agri-small
  re-lending, one loan that breaks R8), B4 no loans at all, B5 vetoed (violation 2025),
  B6 only two loans (under the minimum of 5);
- L1 eligible (Chongqing, 500 M paid-in), L2 ineligible (Chongqing, 150 M < 200 M),
  L3 eligible (outside Chongqing, 3 bn ≥ 2 bn).
Cooperating in 2025 (call): B1, B2, B5, L1, L2.

The application dates avoid holidays: every day named below is a plain working day of
the 2025 schedule (the long holidays are Jan 28–Feb 4, Apr 4–6, May 1–5, May 31–Jun 2,
Oct 1–8), so counting working days is counting Monday–Friday.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import duckdb

from scoring import bootstrap
from scoring.method import DEFAULT_METHOD

YEAR = 2025
# The relative normalisations (ratio to best, min–max) of the first default: the hand-worked
# normalised values and composites of these tests are worked under it (the default is now goalposts).
RELATIVE = DEFAULT_METHOD.parent / "relative.toml"

# Every unit of this small fixture is a small base for the district race (R16), so the
# hand-worked district figures are checked with each unit's own ratios: the default
# method with the small-base rule switched off (tests/test_districts.py checks the rule).
OWN_RATIOS = (DEFAULT_METHOD.read_text(encoding="utf-8")
              .replace("district_min_base = 50_000_000", "district_min_base = 0")
              .replace("district_min_pool = 5", "district_min_pool = 0")
              .replace("district_min_stages = 10", "district_min_stages = 0"))

INSTITUTIONS = [
    # inst_id, name, kind, local_legal_person, paid_in_capital
    ("B1", "甲银行重庆分行", "bank", False, None),
    ("B2", "乙银行重庆分行", "bank", False, None),
    ("B3", "丙农村商业银行", "bank", True, 5_000_000_000),
    ("B4", "丁银行重庆分行", "bank", False, None),
    ("B5", "戊银行重庆分行", "bank", False, None),
    ("B6", "己村镇银行", "bank", True, 100_000_000),
    ("L1", "渝甲金融租赁", "leasing", True, 500_000_000),
    ("L2", "渝乙融资租赁", "leasing", True, 150_000_000),
    ("L3", "外丙融资租赁", "leasing", False, 3_000_000_000),
    ("G1", "渝担保", "guarantee", True, 1_000_000_000),
]

ENTERPRISES = [
    # ent_id, name, district_code, size, ownership, manufacturing, agricultural, tags
    ("915000000000000001", "重庆一号精密制造有限公司", "500112", "small", "private", True, False, "specialized"),
    ("915000000000000002", "重庆二号汽车零部件有限公司", "500191", "large", "state", True, False, None),
    ("915000000000000003", "重庆三号新材料有限公司", "500191", "medium", "private", True, False, "gazelle;whitelist"),
    ("915000000000000004", "重庆四号农机制造有限公司", "500107", "micro", "other", True, True, None),
    ("915000000000000005", "重庆五号商贸有限公司", "500107", "large", "state", False, False, None),
    ("915000000000000006", "重庆六号电子有限公司", "500112", "medium", "foreign", True, False, "little_giant"),
]
E1, E2, E3, E4, E5, E6 = (row[0] for row in ENTERPRISES)

PROJECTS = [
    # project_id, ent_id, district_code, filed_on, pooled_on, total_investment, green, equipment_only
    ("P1", E1, "500112", "2024-03-01", "2024-04-01", 20_000_000, False, False),
    ("P2", E2, "500191", "2025-01-10", "2025-02-10", 100_000_000, True, False),
    ("P3", E3, "500191", "2025-02-10", "2025-03-03", 50_000_000, False, True),
    ("P4", E4, "500107", "2025-01-06", None, 30_000_000, False, False),
    ("P5", E5, "500107", "2025-01-06", None, 80_000_000, False, False),  # not manufacturing
    ("P6", E6, "500112", None, None, 60_000_000, False, False),  # not filed
    ("P7", E6, "500112", "2025-04-01", "2025-05-06", 90_000_000, False, False),
    ("P8", E1, "500112", "2025-05-06", "2025-06-03", 10_000_000, False, False),  # pooled, never financed
]

M = 1_000_000
LPR_2025, LPR_2024 = "0.030000", "0.031000"


def _alike(inst, ent, project, kind, amount, rate, signed_on, disbursed_on, numbers, relending="none",
           credit_line=None):
    """Identical 2025 contracts `<inst>-<n>` for n in `numbers`."""
    return [(f"{inst}-{n}", inst, ent, project, kind, amount, rate, LPR_2025, signed_on, disbursed_on, relending,
             credit_line, None) for n in numbers]


def _loans():
    rows = [
        # loan_id, inst_id, ent_id, project_id, kind, amount, rate, lpr, signed_on, disbursed_on,
        # relending, credit_line, product_id
        ("B1-1", "B1", E1, "P1", "loan", 10 * M, "0.028", LPR_2025, "2025-03-10", "2025-03-12", "tech", None, "PR1"),
        ("B1-2", "B1", E2, "P2", "loan", 30 * M, "0.029", LPR_2025, "2025-04-01", "2025-04-03", "none", None, None),
        ("B1-3", "B1", E3, "P3", "loan", 20 * M, "0.027", LPR_2025, "2025-05-06", "2025-05-08", "none", None, "PR2"),
        ("B1-4", "B1", E2, "P2", "loan", 20 * M, "0.030", LPR_2025, "2025-06-03", "2025-06-05", "none", None, None),
        ("B1-5", "B1", E4, "P4", "loan", 20 * M, "0.0285", LPR_2025, "2025-07-01", "2025-07-03", "none", None, None),
        ("B1-6", "B1", E5, "P5", "loan", 50 * M, "0.020", LPR_2025, "2025-07-01", "2025-07-03", "none", None, None),
        ("B1-7", "B1", E6, "P6", "loan", 50 * M, "0.020", LPR_2025, "2025-07-01", "2025-07-03", "none", None, None),
        ("B1-0", "B1", E1, "P1", "loan", 50 * M, "0.030", LPR_2024, "2024-09-02", "2024-09-04", "none", None, None),
        # B3 (local legal person): 2024 volume 30 M, and in 2025 five valid agri-small loans
        # to a micro agricultural firm plus one to a large state firm (breaks R8)
        ("B3-0", "B3", E4, "P4", "loan", 30 * M, "0.030", LPR_2024, "2024-11-04", "2024-11-06", "none", None, None),
        ("B3-6", "B3", E2, "P2", "loan", 4 * M, "0.030", LPR_2025, "2025-08-04", "2025-08-11", "agri_small",
         100 * M, None),
    ]
    rows += _alike("B2", E2, "P2", "loan", 8 * M, "0.0295", "2025-06-20", "2025-06-23", numbers=range(1, 4))
    rows += _alike("B2", E4, "P4", "loan", 8 * M, "0.028", "2025-06-20", "2025-06-23", numbers=range(4, 6))
    rows += _alike("B3", E4, "P4", "loan", 4 * M, "0.025", "2025-08-04", "2025-08-11", numbers=range(1, 6),
                   relending="agri_small", credit_line=5 * M)
    rows += _alike("B5", E2, "P2", "loan", 2 * M, "0.029", "2025-09-01", "2025-09-03", numbers=range(1, 6))
    rows += _alike("B6", E2, "P2", "loan", 1 * M, "0.029", "2025-09-01", "2025-09-03", numbers=range(1, 3))
    rows += _alike("L1", E3, "P3", "lease_direct", 6 * M, "0.050", "2025-04-07", "2025-04-09", numbers=range(1, 6))
    rows += _alike("L2", E1, "P1", "lease_direct_back", 4 * M, "0.045", "2025-04-07", "2025-04-09",
                   numbers=range(1, 6))
    rows += _alike("L3", E6, "P7", "lease_direct", 10 * M, "0.055", "2025-06-09", "2025-06-11", numbers=range(1, 6))
    return rows


LOANS = _loans()

APPLICATIONS = [
    # app_id, ent_id, project_id, inst_id, registered_on, connected_on, decision, decided_on, disbursed_on, simplified
    # B1 A1: connect Tue 03-04 ≤ Tue 03-04 met; decide Mon 03-10 ≤ 03-04 + 5 wd = Tue 03-11 met;
    #        disburse Wed 03-12 ≤ 03-10 + 5 wd = Mon 03-17 met.
    ("A1", E1, "P1", "B1", "2025-03-03", "2025-03-04", "approved", "2025-03-10", "2025-03-12", False),
    # B1 A2: connect Wed 03-26 > Tue 03-25 breached; decide Tue 04-01 ≤ 03-26 + 5 wd = Wed 04-02 met;
    #        disburse Thu 04-03 ≤ 04-01 + 5 wd = Wed 04-09 (Fri 04-04 is 清明) met.
    ("A2", E2, "P2", "B1", "2025-03-24", "2025-03-26", "approved", "2025-04-01", "2025-04-03", True),
    # B2 A3: connect Tue 06-10 met; decide Fri 06-20 > 06-10 + 5 wd = Tue 06-17 breached;
    #        disburse Mon 06-23 ≤ 06-20 + 5 wd = Fri 06-27 met.
    ("A3", E2, "P2", "B2", "2025-06-09", "2025-06-10", "approved", "2025-06-20", "2025-06-23", False),
    # B3 A4: connect Tue 08-05 met; decide Fri 08-08 ≤ Tue 08-12 met; disburse Mon 08-11 ≤ Fri 08-15 met.
    ("A4", E4, "P4", "B3", "2025-08-04", "2025-08-05", "approved", "2025-08-08", "2025-08-11", False),
]

PRODUCTS = [
    # product_id, inst_id, name, category, launched_on, innovative
    ("PR1", "B1", "技改前期贷", "pre_project_plus_project", "2024-01-15", True),
    ("PR2", "B1", "设备更新贷", "other", "2024-06-01", False),
    ("PR3", "L1", "银租通", "bank_plus_leasing", "2025-03-01", True),
    ("PR4", "L1", "直租快线", "other", "2026-02-01", True),  # launched after the year
]

CASES = [
    # case_id, inst_id, title, year
    ("C1", "B1", "精密制造技改前期贷案例", 2025),
    ("C2", "B1", "往年案例", 2024),
    ("C3", "L1", "新材料直租案例", 2025),
    ("C4", "L1", "设备直租案例", 2025),
    ("C5", "L1", "第三个案例", 2025),
]

FLAGS = [
    ("F1", "B5", 2025, "violation", "违规收取融资顾问费"),
    ("F2", "B2", 2024, "risk_event", "上年度风险事件"),
    ("F3", "L1", 2025, "data_quality", "报送延迟"),
]

COOPERATION = [(2025, inst, "call") for inst in ("B1", "B2", "B5", "L1", "L2")]


def build(con=None):
    """The fixture database: written into `con` when given, else a new in-memory copy of the one built once
    per process (copying takes a fifth of the time of building the schema, the calendar and the rows)."""
    if con is not None:
        return _fill(con)
    memory = duckdb.connect(":memory:")
    memory.execute(f"attach '{_built()}' as fixture (read_only); copy from database fixture to memory; detach fixture")
    return memory


@cache
def _built() -> Path:
    """The fixture database file of this process, in a directory removed when the process ends."""
    path = Path(_DIRECTORY.name) / "evaluation-fixture.duckdb"
    _fill(bootstrap.connect(path, demo_if_missing=False)).close()
    return path


_DIRECTORY = tempfile.TemporaryDirectory(prefix="evaluation-fixture-")


def _fill(con):
    """Write the fixture's rows into `con` (a database with the schema, reference data and calendar)."""
    con.executemany("insert into institutions (inst_id, name, kind, local_legal_person, paid_in_capital) values (?, ?, ?, ?, ?)", INSTITUTIONS)
    con.executemany(
        "insert into enterprises (ent_id, name, district_code, size, ownership, manufacturing, agricultural, tags) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)", ENTERPRISES)
    con.executemany(
        "insert into projects (project_id, ent_id, district_code, filed_on, pooled_on, total_investment, green, "
        "equipment_only, filing_no) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [row + (f"备案-{row[0]}" if row[3] else None,) for row in PROJECTS])
    con.executemany(
        "insert into loans (loan_id, inst_id, ent_id, project_id, kind, amount, rate, lpr, signed_on, disbursed_on, "
        "relending, credit_line, product_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", LOANS)
    con.executemany(
        "insert into applications (app_id, ent_id, project_id, inst_id, registered_on, connected_on, decision, "
        "decided_on, disbursed_on, simplified_review) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", APPLICATIONS)
    con.executemany("insert into products values (?, ?, ?, ?, ?, ?)", PRODUCTS)
    con.executemany("insert into cases (case_id, inst_id, title, year) values (?, ?, ?, ?)", CASES)
    con.executemany("insert into flags values (?, ?, ?, ?, ?)", FLAGS)
    con.executemany("insert into cooperation values (?, ?, ?)", COOPERATION)
    return con
