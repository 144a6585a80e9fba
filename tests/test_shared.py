"""The subsidy items built once per data version and shared (issue 14, `scoring.shared`): a second
consumer reads the first one's result, a new data version is rebuilt, and every reader's scope still
filters the shared rows in SQL (`scoped_subsidy_items`, `scoped_payments`)."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring import db, disbursement, shared, subsidy
from scoring.access import REGULATOR, Scope
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
    yield con
    shared.enable(False)
    shared.clear()


def built() -> int:
    return shared.builds.get("subsidy", 0)


def test_every_consumer_of_a_year_reads_one_build(sharing):
    before = built()
    disbursement.overview(sharing, YEAR, scope=REGULATOR, policy=POLICY)  # items, detail, totals: 3 readers
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
