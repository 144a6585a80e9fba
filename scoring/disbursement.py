"""贴息与拨付 (R1–R8) as the regulator and the pages summarise it: the year's subsidies by kind, by
institution and by district, the payment queue by status with the 市区共担 split, and the refusals
by reason. Every figure is one query's sum over the subsidy engine's items (`scoring.subsidy`), so
nothing is computed twice; money stays exact (`Decimal` yuan, Arrow decimals). Long lists (a year's
claims and refused payments, a million rows at scale) stay Arrow: a page turns only the rows it
shows into Python objects, and the rest only when a download is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring import dashboard, engine, subsidy
from scoring.access import Scope
from scoring.money import group_sums
from scoring.policy import Policy
from scoring.subsidy import STATUS_LABELS

ZERO = Decimal("0.00")


QUEUE_MONEY = ["subsidy", "paid", "waiting", "city_part", "district_part"]


def queue_summary(queue: pa.Table) -> pd.DataFrame:
    """The payment queue (R7, `subsidy.payment_queue_table`) by status (paid, partial, waiting) and
    cooperation: claims, subsidy, paid, waiting (subsidy − paid), city_part, district_part. Summed as
    Arrow decimals, exactly: a Python sum per group and column took 2 s over a year's 1.34 M claims."""
    keys = ["status", "cooperating"]
    summed = group_sums(_with_waiting(queue), keys, QUEUE_MONEY, count_as="claims")
    grouped = engine.to_pandas(summed.select([*keys, "claims", *QUEUE_MONEY]))
    grouped["order"] = grouped["status"].map({s: i for i, s in enumerate(STATUS_LABELS)})
    grouped = grouped.sort_values(["order", "cooperating"], ascending=[True, False]).drop(columns="order")
    return grouped.assign(status_text=grouped["status"].map(STATUS_LABELS)).reset_index(drop=True)


def queue_totals(queue: pa.Table) -> dict:
    """Headline figures of a queue (`subsidy.payment_queue_table`): claims, subsidy, paid, waiting,
    city_part, district_part, and the claims paid in full, in part and waiting."""
    table = _with_waiting(queue)
    return {
        "claims": table.num_rows, **{name: pc.sum(table[name]).as_py() or ZERO for name in QUEUE_MONEY},
        **{f"{status}_claims": int(pc.sum(pc.equal(table["status"], status)).as_py() or 0)
           for status in STATUS_LABELS},
    }


def _with_waiting(queue: pa.Table) -> pa.Table:
    return queue.append_column("waiting", pc.subtract(queue["subsidy"], queue["paid"]))


def enterprise_names(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """ent_id, name of the enterprises the scope may name (its own firms for an institution)."""
    return engine.query(con, "overview/enterprise_names", scope=scope)


@dataclass(frozen=True)
class Overview:
    """The year's subsidies as the money pages show them (R1–R6), each table one query's sums."""

    kinds: pd.DataFrame  # subsidy.totals_by_kind
    institutions: pd.DataFrame  # subsidy.totals_by_institution
    districts: pd.DataFrame  # subsidy.totals_by_district
    refusals: pd.DataFrame  # subsidy.refusals
    subsidised_projects: int  # projects with a subsidy after the caps (subsidy/totals)

    @property
    def empty(self) -> bool:
        """No payment, guarantee fee or policy of the year within the scope."""
        return self.kinds.empty


def overview(con: duckdb.DuckDBPyConnection, year: int, *, scope: Scope, policy: Policy) -> Overview:
    """Everything the money pages summarise of `year` except the queue, for the scope's rows."""
    of = {"scope": scope, "policy": policy}
    totals = subsidy.totals(con, year, **of)
    return Overview(subsidy.totals_by_kind(con, year, **of), subsidy.totals_by_institution(con, year, **of),
                    subsidy.totals_by_district(con, year, **of), subsidy.refusals(con, year, **of),
                    int(totals["subsidised_projects"]))


def named_items(items: pd.DataFrame, names: Names) -> pd.DataFrame:
    """`subsidy.subsidy_table` rows with the enterprise's name (its id where the scope may not name it:
    an insured firm the bank does not lend to)."""
    items = names.of(items)
    return items.assign(ent_name=items["ent_name"].fillna(items["ent_id"]))


@dataclass(frozen=True)
class Plan:
    """The payment queue (R7) under a budget and a city share: the claims (Arrow, in queue order,
    unnamed: `Names`), by status, in total."""

    queue: pa.Table
    summary: pd.DataFrame
    totals: dict

    def claims(self, status: str | None = None) -> pa.Table:
        """The claims of one status (`STATUS_LABELS`' key), or all of them, in queue order."""
        return self.queue if status is None else self.queue.filter(pc.equal(self.queue["status"], status))


def plan(con: duckdb.DuckDBPyConnection, year: int, budget: Decimal | None, city_share: Decimal | None, *,
         scope: Scope, policy: Policy) -> Plan:
    table = subsidy.payment_queue_table(con, year, budget, city_share, scope=scope, policy=policy)
    return Plan(table, queue_summary(table), queue_totals(table))


NAMES = {"ent_id": "ent_name", "inst_id": "inst_name", "district_code": "district_name"}


@dataclass(frozen=True)
class Names:
    """The names a scope may read (`names`): per id column (ent_id, inst_id, district_code) the ids and
    their names, as Arrow once, for every list the page names (turning 333 k names into Arrow took
    0.15 s a lookup)."""

    by_id: dict[str, tuple[pa.Array, pa.Array]]

    @classmethod
    def of_frames(cls, frames: dict[str, pd.DataFrame]) -> Names:
        """From frames with the id column and `name`, keyed by the id column's name."""
        return cls({column: (_strings(frame[column]), _strings(frame["name"])) for column, frame in frames.items()})

    def of(self, rows: pd.DataFrame) -> pd.DataFrame:
        """`rows` with ent_name, inst_name and district_name beside the ids it has (missing for an id the
        scope may not name), by Arrow's hash lookup (pandas' map took 1.1 s for a year's 1.58 M
        payments). A long list is named once cut to the rows shown (`ui.show.rows_of`): naming a year's
        1.34 M claims took 1.4 s."""
        for column, name in NAMES.items():
            if column in rows.columns:
                ids, names = self.by_id[column]
                found = pc.take(names, pc.index_in(_strings(rows[column]), value_set=ids))
                rows = rows.assign(**{name: pd.Series(found.to_pandas().to_numpy(), index=rows.index, dtype=object)})
        return rows


def names(con: duckdb.DuckDBPyConnection, scope: Scope) -> Names:
    """The names `scope` may read."""
    return Names.of_frames({"ent_id": enterprise_names(con, scope), "inst_id": dashboard.institutions(con, scope),
                            "district_code": dashboard.districts(con)})


def _strings(values: pd.Series) -> pa.Array:
    return pa.array(values, pa.string(), from_pandas=True)  # a missing id (None or NaN) is null
