"""Subsidies of the 技改专项贷 policy: eligibility, interest subsidies, caps, guarantee
rewards, insurance premium subsidies, the payment queue and the re-lending check (R1–R8).

Everything is computed in SQL over all rows at once (`queries/subsidy/*.sql`), in
integer fen and exact fractions, rounded half-up to the fen per payment before any cap
(R2, R3). The steps build temporary tables on a cursor of their own, so a call never
sees another call's intermediate results:

    payment_uncapped    R1-3 each payment of the year, judged (staging/judged_events), and its
                             subsidy before caps
    loan_shares         R4   each loan's share of its capped project's annual total
    payment_shares      R4   that share spread back over the loan's payments
    guarantee_uncapped  R5   each guarantee fee, judged, and its reward before the lifetime cap
    guarantee_shares    R5   the reward after the cap, earlier years first
    insurance_uncapped  R6   each policy's premium subsidy before the caps
    insurance_shares    R6   after the cap per product (or project) and policy year

Only the members of capped groups are allocated (the `*_shares` tables are small): every
other item passes straight through with its uncapped amount (staging/payment_subsidies,
staging/guarantee_and_policy_items and their union staging/subsidy_items, which readers run through
instead of a copy being kept; staging/project_subsidies groups them per project, kind and institution). The caps
share a binding total in proportion to the uncapped amounts; each share is floored to the
fen and the fen left over go to the largest share (ties: smallest id), so the shares add
up to the cap exactly (`queries/subsidy/allocate.sql`).

Every public function takes the user's `scope` and the `policy` it applies: there is no
default for either (a page passes its context's, the command line the regulator's and the
policy file it was given). The scope filters rows through the staging views
`scoped_subsidy_items`, `scoped_payments`, `scoped_project_subsidies` and `scoped_project_loans`; the caps and the
queue order are always over all rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import pyarrow as pa

from scoring import engine, shared
from scoring.access import Scope
from scoring.export import write_query
from scoring.money import ratio, to_fen
from scoring.policy import Policy

KIND_LABELS = {
    "loan": "技改专项贷贴息",
    "lease": "融资租赁贴息",
    "guarantee": "担保奖补",
    "first_set_equipment": "首台（套）保险补贴",
    "software_first_version": "软件首版次保险补贴",
    "project_cost_loss": "技改项目费用损失保险补贴",
}

STATUS_LABELS = {  # R7 payment queue
    "paid": "已拨付",
    "partial": "部分拨付",
    "waiting": "待拨付",
}


# --- running the queries ------------------------------------------------------------


def _materialise(cur: engine.Session, table: str, name: str, params: dict, reads: tuple[str, ...] = ()) -> None:
    # once per session for the same parameters and inputs: a budget variant or a sweep point that
    # changes only a cap reuses the year's judged payments (the bulk of the work)
    cur.materialise_once(table, name, reads, scope=None, **params)


def _allocate(cur: engine.Session, table: str, claims: str, params: dict, reads: tuple[str, ...]) -> None:
    """Run the claims query `claims` (over the tables `reads`), then share each group's capped
    target among its members in proportion, to the fen (R4; the same rule for the caps of R5 and R6)."""
    _materialise(cur, "claims", claims, params, reads)
    _materialise(cur, table, "subsidy/allocate", params, ("claims",))


def _register_labels(cur: engine.Session, policy: Policy) -> None:
    labels = {**KIND_LABELS, **policy.reason_labels(), **STATUS_LABELS}
    cur.register("labels", pd.DataFrame({"code": list(labels), "label": list(labels.values())}))


def _build_interest(cur: engine.Session, params: dict) -> None:
    """R1–R4 for loans and leases: every payment of the year, before and after the caps."""
    _materialise(cur, "payment_uncapped", "subsidy/payment_uncapped", params)
    _allocate(cur, "loan_shares", "subsidy/loan_claims", params, ("payment_uncapped",))
    _allocate(cur, "payment_shares", "subsidy/payment_claims", params, ("payment_uncapped", "loan_shares"))


def _build_all(cur: engine.Session, params: dict) -> None:
    """R1–R6: every subsidy item of the year, read through staging/subsidy_items."""
    _build_interest(cur, params)
    _materialise(cur, "guarantee_uncapped", "subsidy/guarantee_uncapped", params)
    _allocate(cur, "guarantee_shares", "subsidy/guarantee_claims", params, ("guarantee_uncapped",))
    _materialise(cur, "insurance_uncapped", "subsidy/insurance_uncapped", params)
    _allocate(cur, "insurance_shares", "subsidy/insurance_claims", params, ("insurance_uncapped",))


def _params(year: int, policy: Policy) -> dict:
    return policy.subsidy_params(year)


# the staging views kept, each payment once: the items a reader sees (staging/subsidy_items) are the union of
# the first two, so the year's 1.6 M payments are not written a second time inside a copy of the items (1 s of a
# cold page at 1 M); and the items per project, kind and institution. The payments and the projects are kept in
# their listings' order (their stored order, `engine.sql`): the command line writes both without a sort, and
# grouping the items under its 256 MB took 0.8 s at a million loans and 3.7–4.3 s at three million
SHARED = ("payment_subsidies", "guarantee_and_policy_items", "project_subsidies")
# the claims in queue order (R7) are kept apart, when the payment queue is first asked for (贴息与拨付,
# 贴息预算模拟): ordering two million claims and writing them took 4 to 6 s of every other page's first
# render at a million loans (总览, 我的贴息, 今日提醒), which never read them
QUEUE = {"queue_order": "subsidy/shared_queue_order"}


def _prepare(cur: engine.Session, year: int, policy: Policy, build=_build_all, queue: bool = False) -> dict:
    """Give `cur` the year's subsidy items and interest payments over all rows (R1–R6, caps applied),
    with `queue` their claims in queue order too (R7), and return the query parameters. Where
    results are shared (`scoring.shared`: the app), they are built once per data version, year and
    policy and every consumer — each page, each session — reads that one result, its scope
    filtering it in SQL (`scoped_subsidy_items`, `scoped_payments`); elsewhere `build` (all items,
    or only the interest payments a reader needs) runs in this session, which orders the claims
    when a query reads them (the staging view queue_order)."""
    params = _params(year, policy)
    if not shared.sharing(cur):
        build(cur, params)
        return params

    # built in a session of their own: `cur` may read another policy's items already (the budget
    # simulator's baseline), and a variant built over those would be kept as the baseline's numbers
    @contextmanager
    def built() -> Iterator[engine.Session]:
        with engine.session(cur, isolated=True) as own:
            _register_labels(own, policy)
            _build_all(own, params)
            yield own

    def build_stored(tables: dict[str, str]) -> None:
        with built() as own:
            for view in SHARED:
                own.store(tables[view], f"{engine.sql.STAGING}/{view}", scope=None, **params)

    def build_shared() -> dict:
        with built() as own:
            return {view: own.kept(f"{engine.sql.STAGING}/{view}", scope=None, **params) for view in SHARED}

    key = _items_key(year, policy)
    # in the file: every process reads them (the last import kept the built-in policy's)
    kept = shared.stored(cur, "subsidy", key, SHARED, build_stored, reported=True)
    for view, table in (kept or shared.tables(cur, "subsidy", key, build_shared)).items():
        cur.provide(view, table)
    if queue and kept:  # from the kept payments, in a session of its own (as above)
        def build_queue(tables: dict[str, str]) -> None:
            with engine.session(cur, isolated=True) as own:
                _prepare(own, year, policy)
                for view, name in QUEUE.items():
                    own.store(tables[view], name, scope=None, **params)

        # the order reads the year's cooperating institutions (R7), which a published evaluation writes
        # without changing the reported data's version (`scoring.runs`): they are part of its key
        cooperating = tuple(engine.query(cur, "indicators/cooperating", scope=None, year=int(year))["inst_id"])
        kept_queue = shared.stored(cur, "subsidy/queue", (*key, cooperating), tuple(QUEUE), build_queue, reported=True)
        for view, table in (kept_queue or {}).items():
            cur.provide(view, table)
    return params


def _items_key(year: int, policy: Policy) -> tuple:
    """What the year's items are kept under (`scoring.shared`), beside their name and the data version."""
    return int(year), policy.sha256


# --- public API -----------------------------------------------------------------------


def prepare(cur: engine.Session, year: int, policy: Policy, share: bool = True, queue: bool = False) -> dict:
    """Give the session `cur` the year's subsidy items under `policy` over all rows (the staging views
    subsidy_items and payment_subsidies, with the labels) and return the query parameters — for a
    caller that reads them with queries of its own (the budget simulator). `share=False` builds them
    in the session even where results are shared (a sweep's points, asked once each). `queue`: where
    results are shared, the claims in queue order too (R7, the staging view queue_order: the import keeps it)."""
    _register_labels(cur, policy)
    if share:
        return _prepare(cur, year, policy, queue=queue)
    params = _params(year, policy)
    _build_all(cur, params)
    return params



def _read(con: duckdb.DuckDBPyConnection, name: str, year: int, scope: Scope, policy: Policy,
          build=_build_all, arrow: bool = False, queue: bool = False, **values):
    """Run the query `name` over the year's subsidy items (`build`: all of them, or only the interest
    payments the query reads; `queue`: it reads the claims in queue order) within `scope`, as a
    DataFrame or, with `arrow`, as Arrow."""
    with engine.session(con) as cur:
        _register_labels(cur, policy)
        params = _prepare(cur, year, policy, build, queue)
        return (cur.arrow if arrow else cur.query)(name, scope=scope, **params, **values)


def subsidy_table(con: duckdb.DuckDBPyConnection, year: int, *, scope: Scope,
                  policy: Policy) -> pd.DataFrame:
    """One row per project, kind, year and institution (R1–R6).

    kind is loan, lease (R2–R4), guarantee (R5, institution = the guarantor) or one of
    the insurance kinds (R6, one row per policy: project_id is the policy's project, or
    the policy id when it has none; institution = the insurer). A project financed by
    two banks has a row for each, so that bank totals are exact and a bank sees only its
    own share. Columns: project_id, policy_id, kind, kind_text, year, inst_id, ent_id,
    district_code, items, refused, uncapped, subsidy (Decimal yuan), capped, reason
    (refusal codes, ';'-separated), reason_text.
    """
    return _read(con, "subsidy/by_project", year, scope, policy)


def payment_detail(con: duckdb.DuckDBPyConnection, year: int, *, scope: Scope,
                   policy: Policy, arrow: bool = False) -> pd.DataFrame | pa.Table:
    """Every interest payment of `year` with its eligibility and subsidy (R1–R4).

    Columns: payment_id, loan_id, project_id, ent_id, inst_id, district_code, kind (loan or
    lease), paid_on, interest_paid, amount, land_amount, rate, eligible, basis, reason,
    reason_text, uncapped, subsidy (Decimal yuan), capped.
    `basis` says which bound set the subsidy: `rate_share` (half the loan rate, or the
    whole rent interest of a lease) or `rate_points` (2 points a year). `subsidy` is
    after the project's annual cap (R4): a capped loan's share is spread over its
    payments in proportion to their uncapped subsidy, by the same fen rule as the cap.
    With `arrow`, the same rows as Arrow, money as decimal128: the form `write_files` streams to its
    detail file, with no `Decimal` per cell (the 1.6 M payments of a year at a million loans hold 9.5 M).
    """
    return _read(con, "subsidy/payment_detail", year, scope, policy, _build_interest, arrow=arrow)


def refused_payments(con: duckdb.DuckDBPyConnection, since: date, until: date, *, scope: Scope,
                     policy: Policy) -> pd.DataFrame:
    """The interest payments paid after `since` up to `until` that R1 refuses, with the reason
    (payment_id, loan_id, project_id, ent_id, inst_id, district_code, paid_on, interest_paid, reason,
    reason_text): the daily digest's list. Only those days' payments are judged, and no subsidy is
    computed (a refused payment gets none, so no cap changes the list): a digest's first panel at a
    million loans no longer waits 3 s for the year's subsidies. The rows of `refused_of_year` paid
    on those days."""
    with engine.session(con) as cur:
        _register_labels(cur, policy)
        return pd.concat([cur.query("subsidy/refused_on_days", scope=scope, since=since, until=until,
                                    **_params(year, policy))
                          for year in range(since.year, until.year + 1)], ignore_index=True)


def refused_of_year(con: duckdb.DuckDBPyConnection, year: int, reason: str | None = None, *, scope: Scope,
                    policy: Policy) -> pa.Table:
    """The interest payments of `year` that R1 refuses (of one `reason`, or all), in `refused_payments`'
    columns, as Arrow: a year can refuse hundreds of thousands, of which a page shows the first."""
    return _read(con, "subsidy/refused", year, scope, policy, _build_interest, arrow=True, reason=reason)


def refusals(con: duckdb.DuckDBPyConnection, year: int, *, scope: Scope, policy: Policy) -> pd.DataFrame:
    """Interest payments of `year` refused a subsidy (R1), by reason: reason, reason_text, payments,
    loans, interest (the interest paid on them); the most frequent first."""
    return _read(con, "subsidy/refusals", year, scope, policy, _build_interest)


def totals(con: duckdb.DuckDBPyConnection, year: int, *, scope: Scope, policy: Policy) -> pd.Series:
    """The year's subsidy items in total (R1–R6): uncapped, subsidy (Decimal yuan), subsidised_projects
    (projects with a subsidy after the caps); the sums of `subsidy_table`'s rows."""
    return _read(con, "subsidy/totals", year, scope, policy).iloc[0]


def totals_by_kind(con: duckdb.DuckDBPyConnection, year: int, *, scope: Scope, policy: Policy) -> pd.DataFrame:
    """Per kind of subsidy (R2–R6), in the policy's order: kind, kind_text, projects, items, refused,
    uncapped, subsidy (the sums of `subsidy_table`'s rows)."""
    table = _read(con, "subsidy/by_kind", year, scope, policy).set_index("kind")
    return table.reindex([kind for kind in KIND_LABELS if kind in table.index]).reset_index()


def totals_by_district(con: duckdb.DuckDBPyConnection, year: int, *, scope: Scope,
                       policy: Policy) -> pd.DataFrame:
    """Per unit (all 41, zero where nothing was claimed): district_code, name, projects, items,
    refused, subsidy; the largest first."""
    return _read(con, "subsidy/by_district", year, scope, policy)


def totals_by_institution(con: duckdb.DuckDBPyConnection, year: int, *, scope: Scope,
                          policy: Policy) -> pd.DataFrame:
    """Per institution of `year` (lender, guarantor or insurer): items, refusals, uncapped and
    paid-out subsidy, and whether it is a cooperating institution of the year (R7)."""
    return _read(con, "subsidy/by_institution", year, scope, policy)


def payment_queue(con: duckdb.DuckDBPyConnection, year: int, budget: Decimal | None = None,
                  city_share: Decimal | None = None, *, scope: Scope,
                  policy: Policy) -> pd.DataFrame:
    """`payment_queue_table` as a DataFrame (money as Decimal yuan)."""
    return engine.to_pandas(payment_queue_table(con, year, budget, city_share, scope=scope, policy=policy))


def payment_queue_table(con: duckdb.DuckDBPyConnection, year: int, budget: Decimal | None = None,
                        city_share: Decimal | None = None, *, scope: Scope,
                        policy: Policy) -> pa.Table:
    """The interest-subsidy claims of `year` in payment order (R7, 十三 先付后贴, 十九 优先兑现), as Arrow
    (money exact decimals: the page's sums over a million claims are taken there, `disbursement.plan`).

    Payments on loans of the year's cooperating institutions come first, then by paid_on,
    then by payment_id. With a `budget` (yuan), each claim is paid while money lasts:
    status paid, partial (the claim where the budget runs out) or waiting. `ahead` is what
    the claims before it add up to. `city_share` (0…1, default the policy's, taken as the nearest fraction with a
    denominator up to 1,000,000) splits each claim: the city part is rounded half-up to the
    fen, the district pays the rest, so the parts add up. The
    order is over all claims; `scope` only filters which rows are returned.
    """
    city_share = policy.city_share if city_share is None else city_share
    if not Decimal("0") <= Decimal(city_share) <= Decimal("1"):
        raise ValueError(f"市级分担比例应在0到1之间：{city_share}")
    if budget is not None and Decimal(budget) < 0:
        raise ValueError(f"预算不能为负数：{budget}")
    share_num, share_den = ratio(city_share, max_denominator=1_000_000)
    return _read(con, "subsidy/queue", year, scope, policy, _build_interest, arrow=True, queue=True,
                 budget_fen=None if budget is None else to_fen(budget), city_share_num=share_num,
                 city_share_den=share_den)


def relending_check(con: duckdb.DuckDBPyConnection, *, scope: Scope,
                    policy: Policy) -> pd.DataFrame:
    """Loans marked 支农支小再贷款 (`relending = agri_small`) that break R8 (四), as data errors.

    Valid only when the lender is a local legal-person institution and the borrower is
    agricultural, small or micro, or private with a single-household credit line below
    30,000,000 (the policy's). One row per offending loan with every reason (codes and Chinese text).
    """
    with engine.session(con) as cur:
        _register_labels(cur, policy)
        return cur.query("subsidy/relending", scope=scope, agri_small_credit_max=policy.credit_line_max)


class Written(NamedTuple):
    """What `write_files` wrote: rows of the table, rows of the payment detail (None when not
    asked for), and the id under which the computation was recorded (None when it was not)."""

    rows: int
    detail_rows: int | None
    run_id: str | None


def write_files(con: duckdb.DuckDBPyConnection, year: int, path: str | Path, detail_path: str | Path | None = None,
                *, scope: Scope, policy: Policy, record_run: bool = True) -> Written:
    """`subsidy_table` (and, with `detail_path`, `payment_detail`) of `year` within `scope`,
    streamed to files (CSV, XLSX or Parquet, `scoring.export`) from one computation, which is recorded
    (`record`) once the table is written — unless `record_run` is false (on Spark, whose data
    are Parquet files: a record is a write to the DuckDB file).

    The year's items are read in place where the file keeps them for the data as they stand (each import
    keeps the built-in policy's for the year the pages open on and the year before; the app keeps what its
    pages build), else built in this session. Nothing is kept from here: keeping them cost a first run
    about 0.5 s more at a million loans than building them (README, twenty-second pass)."""
    with engine.session(con) as cur:
        params = _params(year, policy)
        _register_labels(cur, policy)
        if not shared.provide_found(cur, "subsidy", _items_key(year, policy), SHARED, reported=True):
            _build_all(cur, params)
        rows = write_query(cur, "subsidy/by_project", path, sheet="subsidy", scope=scope, **params)
        run_id = None
        if record_run:
            totals = cur.query("subsidy/totals", scope=scope, **params).iloc[0]
            run_id = record(con, year, rows, totals["uncapped"], totals["subsidy"], policy)
        detail_rows = None
        if detail_path is not None:
            detail_rows = write_query(cur, "subsidy/payment_detail", detail_path, sheet="payments", scope=scope,
                                      **params)
    return Written(rows, detail_rows, run_id)


def record(con: duckdb.DuckDBPyConnection, year: int, rows: int, uncapped: Decimal, subsidy: Decimal,
           policy: Policy) -> str:
    """Keep a subsidy computation's policy (text and SHA-256) and totals beside the data, as an
    evaluation run keeps its method: the rows of `subsidy_table` and their sums before and after
    the caps. Returns the run id."""
    recorded = engine.query(
        con, "subsidy/record_run", scope=None, year=int(year), policy_id=policy.id, policy_version=policy.version,
        policy_text=policy.text, policy_sha256=policy.sha256, rows=rows, uncapped=uncapped, subsidy=subsidy,
        created_at=datetime.now())
    return recorded.iat[0, 0]
