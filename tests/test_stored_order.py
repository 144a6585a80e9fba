"""The query layer's stored order (`scoring.engine.sql`, issue 14): a staging view that declares one is kept by
`Session.store` in that order, and a listing in that order, read from the kept table, runs without its sort and
lists the same rows in the same order — over row groups that DuckDB scans on two threads at once. Read from
anything else (built in the session, given as Arrow), the listing sorts. That the product's kept stages and
payments list as their sorted listings do is `tests/test_shared.py`'s (the command line reads them)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scoring import engine
from scoring.engine import sql

ROWS = 400_000  # about four of DuckDB's row groups (122,880 rows): a parallel scan reads them at once
LISTING = "-- in stored order of: shuffled\nselect k, part, v from shuffled where v >= $least\norder by k, part\n"


@pytest.fixture()
def catalog(tmp_path) -> Path:
    """A catalog of its own: the staging view `shuffled` with a stored order, and a listing in it."""
    (tmp_path / "staging").mkdir()
    (tmp_path / "staging" / "shuffled.sql").write_text("-- stored order: k, part\nselect k, part, v from numbers\n")
    (tmp_path / "listing.sql").write_text(LISTING)
    return tmp_path


@pytest.fixture()
def con():
    """`numbers` inserted in an order that is not (k, part)'s: a table scanned as it is lists them shuffled."""
    con = duckdb.connect()
    con.execute("set threads = 2")
    con.execute(f"create table numbers as select i // 2 as k, i % 2 as part, i as v from range({ROWS}) as t(i) "
                "order by hash(i)")
    yield con
    con.close()


def session(con, catalog: Path) -> tuple[engine.Session, list[str]]:
    """A session on `catalog`, and the texts of the queries it runs."""
    backend = engine.DuckDBBackend(con)
    backend.catalog = catalog
    ran: list[str] = []
    arrow = backend.arrow
    backend.arrow = lambda text, bound: (ran.append(text), arrow(text, bound))[1]
    return engine.Session(backend), ran


def sorted_rows(con, least: int) -> list[tuple]:
    return con.sql(f"select k, part, v from numbers where v >= {least} order by k, part").fetchall()


def listed(listing: engine.Session, least: int) -> list[tuple]:
    table = listing.arrow("listing", scope=None, least=least)
    return list(zip(*(table[name].to_pylist() for name in ("k", "part", "v")), strict=True))


def test_a_view_kept_in_its_stored_order_is_listed_in_it_without_a_sort(con, catalog):
    keeper, _ = session(con, catalog)
    keeper.store("kept_shuffled", "staging/shuffled", scope=None)
    assert con.sql("select k, part from kept_shuffled").fetchall() == [row[:2] for row in sorted_rows(con, 0)]

    reader, ran = session(con, catalog)
    reader.provide("shuffled", "kept_shuffled")
    assert listed(reader, 7) == sorted_rows(con, 7)
    assert "order by" not in ran[-1]


@pytest.mark.parametrize("given", ["built in the session", "Arrow"])
def test_a_listing_read_from_anything_but_a_kept_table_sorts(con, catalog, given):
    reader, ran = session(con, catalog)
    if given == "Arrow":
        reader.provide("shuffled", con.sql("select k, part, v from numbers").to_arrow_table())
    assert listed(reader, 7) == sorted_rows(con, 7)
    assert ran[-1].rstrip().endswith("order by k, part")


def test_a_listing_that_claims_a_stored_order_it_does_not_close_with_is_refused(con, catalog):
    (catalog / "listing.sql").write_text(LISTING.replace("order by k, part", "order by v"))
    reader, _ = session(con, catalog)
    with pytest.raises(ValueError, match="order by k, part"):
        reader.arrow("listing", scope=None, least=0)


@pytest.mark.parametrize(("listing", "view", "order"), [
    ("sla/stages", "sla_stages", "app_id, stage_order"),  # 3.2 M judged stages at a million loans
    ("subsidy/payment_detail", "payment_subsidies", "paid_on, payment_id"),  # 1.6 M payments of a year
    ("subsidy/by_project", "project_subsidies", "project_id, kind, inst_id, policy_id nulls last"),
])
def test_the_product_s_listings_close_with_the_order_their_view_is_kept_in(listing, view, order):
    """The listings the command line writes (`sla`, `subsidy` and its `--detail`), read from what an import keeps."""
    text = sql.resolve(engine.DuckDBBackend.catalog, listing)
    assert (text.sorted_view, sql.stored_order(engine.DuckDBBackend.catalog, view)) == (view, order)
    assert text.sql.startswith(text.unsorted) and text.sql[len(text.unsorted):].split() == ["order", "by",
                                                                                           *order.split()]
