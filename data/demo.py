"""The realistic, deterministic demo data of the 技改专项贷 platform.

`generate(con, seed, loans, until)` fills every reported table of an initialised, empty
database (schema, districts and the working-day calendar present) with data from
2024-06-01 to `until`: ~25 banks, ~8 leasing companies, guarantee firms and insurers;
~3,000 manufacturing enterprises over the 41 Chongqing units; their projects,
applications with "3个1" milestones on real working days, loans and leases priced
around the LPR, quarterly interest, guarantees, insurance policies, products, typical
cases, the cooperating lists of the 揭榜挂帅 call and a few flags.

The same (seed, loans, until) always gives the same rows. Every column is drawn with
numpy from one `default_rng(seed)` stream and written in bulk as Arrow through
`scoring.reported` (one statement per table in `queries/demo/insert/`), so a million loans
take a minute or two. The pieces live beside this file:
demo_parties (institutions, enterprises), demo_projects, demo_applications,
demo_loans (loans, interest, guarantees), demo_extras (products, cases, insurance,
cooperation, flags) and demo_kit (the vectorised helpers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from data import demo_extras as extras
from data.demo_applications import Window, applications
from data.demo_kit import WorkDays, arrow_table, ids
from data.demo_loans import attach_products, guarantees, interest_payments, loans as make_loans
from data.demo_parties import district_weights, enterprises, institution_rows, institutions
from data.demo_projects import filing_and_pooling, first_day, project_rows, projects as make_projects
from scoring.reported import DEMO_TABLES, filled_tables, write_tables

START = np.datetime64("2024-06-01")  # the month the notice took effect (30 days after 2024-05-10)
MIN_SPAN_DAYS = 92  # a quarter at least, so that every stage and an interest day can occur
DEFAULT_LOANS = 6_000
DIRECT_SHARE = 0.10  # loans reported without an application
ENTERPRISES_MIN, LOANS_PER_ENTERPRISE = 3_000, 3  # ~3,000 firms, more when there are many loans
PROJECTS_PER_LOAN = 0.9  # some projects carry several loans, some none
GENERATED = DEMO_TABLES  # every reported table but the reference data and overrides


@dataclass(frozen=True)
class Sizes:
    """Row counts that scale with the number of loans."""

    loans: int
    enterprises: int
    projects: int
    funded: int  # loans that come from an application
    direct: int  # loans reported without one

    @classmethod
    def for_loans(cls, loans: int) -> Sizes:
        if loans < 1:
            raise ValueError(f"贷款笔数至少为 1，实际为 {loans}")
        direct = round(loans * DIRECT_SHARE)
        return cls(
            loans=loans,
            enterprises=max(ENTERPRISES_MIN, loans // LOANS_PER_ENTERPRISE),
            projects=max(50, round(loans * PROJECTS_PER_LOAN)),
            funded=loans - direct,
            direct=direct,
        )


def generate(con, seed: int = 7, loans: int | None = None, until: date | None = None) -> dict[str, int]:
    """Fill the reported tables of an empty database; returns the rows written per table."""
    until_day = np.datetime64(until or date.today(), "D")
    sizes = Sizes.for_loans(DEFAULT_LOANS if loans is None else loans)
    cal = WorkDays.from_db(con)
    check_span(cal, until_day)
    ensure_empty(con)
    # each table is built while the one before it is written (`write_tables` takes them as they come)
    tables = build_each(np.random.default_rng(seed), Window.of(cal, START, until_day), sizes)
    return write_tables(con, ((name, arrow_table(rows)) for name, rows in tables))


def check_span(cal: WorkDays, until: np.datetime64) -> None:
    if until < START + MIN_SPAN_DAYS:
        raise ValueError(f"演示数据截止日 {until} 过早：至少应为 {START + MIN_SPAN_DAYS}")
    if until + 365 > cal.last:
        raise ValueError(f"演示数据截止日 {until} 超出工作日历范围（至 {cal.last}）")


def ensure_empty(con) -> None:
    filled = filled_tables(con)
    if filled:
        raise ValueError("数据库已有报送数据，不能再生成演示数据：" + "、".join(filled))


def build(rng: np.random.Generator, window: Window, sizes: Sizes) -> dict[str, dict]:
    """Every generated table as columns."""
    return dict(build_each(rng, window, sizes))


def build_each(rng: np.random.Generator, window: Window, sizes: Sizes) -> Iterator[tuple[str, dict]]:
    """(table, columns) of every generated table, each as soon as it is built (the database has no
    foreign keys, so the order of writing is free). The random stream is drawn in one fixed order
    whoever consumes the tables, so the rows are those of `build`."""
    cal, until = window.cal, window.until
    insts = institutions()
    ents = enterprises(rng, sizes.enterprises)
    yield "institutions", institution_rows(insts)  # neither draws from the stream
    yield "enterprises", ents.rows()
    projs = make_projects(rng, ents, sizes.projects, district_weights())
    apps = applications(rng, window, ents, projs, insts, sizes.funded)
    lns = make_loans(rng, window, apps, ents, projs, insts, sizes.direct)
    project_ids, app_ids, loan_ids = ids("PJ", len(projs)), ids("AP", len(apps)), ids("LN", len(lns))
    inst_ids = insts["inst_id"].to_numpy(str)
    # a table's rows go out as soon as the draws they need are made (so the applications are written
    # while the projects' filing is drawn); laying out rows draws nothing, so the stream's order holds
    yield "applications", apps.rows(app_ids, cal, ents, project_ids, inst_ids)

    has_app = lns.app >= 0
    registered = np.where(has_app, apps.registered[np.maximum(lns.app, 0)], np.datetime64("NaT"))
    first_financing = first_day(
        np.concatenate([apps.project, lns.project]), np.concatenate([apps.registered, lns.signed]), len(projs)
    )
    filed, pooled = filing_and_pooling(rng, cal, first_financing, START, until)
    products = extras.products(rng, insts, until)
    product = attach_products(rng, lns, products)
    product_mask = pa.array(product, mask=product < 0)
    yield "products", extras.product_rows(products)
    yield "loans", lns.rows(loan_ids, ents, project_ids, app_ids, insts,
                            pa.array(products["product_id"].to_numpy(str)).take(product_mask))
    yield "projects", project_rows(rng, projs, project_ids, ents, filed, pooled)
    yield "interest_payments", interest_payments(rng, lns, loan_ids, until)
    yield "guarantees", guarantees(rng, lns, loan_ids, ents, insts)
    yield "insurance_policies", extras.insurance_policies(rng, ents, projs, project_ids, insts, until)
    yield "cases", extras.cases(rng, lns, cal, registered, insts, ents, projs,
                                pa.array(products["label"].to_numpy(str)).take(product_mask))
    yield "cooperation", extras.cooperation(insts, until)
    yield "flags", extras.flags(until)
