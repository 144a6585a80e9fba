"""The district horse race (R16, 十九): the 41 units' indicators and the 融资对接台账.

`district_indicators` gives D1–D5 of `queries/districts/indicators.sql` for every unit
(the evaluation pipeline scores them with the method's district weights);
`reserve_ledger` lists a unit's key-project reserve pool (重点技改项目储备库) and whether,
when and by whom each project was financed, within the caller's scope. The ledger, its summary
and the institutions to call are kept in the database per data version, scope and as-of day
(`scoring.shared.frame`, 0.3–0.6 s each at a million loans), so that 储备库台账 opens at once in a
restarted server; the warm-up computes the regulator's opening view (`FIRST_UNIT`) and each district
official's.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pandas as pd

from scoring import engine, shared, sla
from scoring.access import Scope
from scoring.engine.frames import decimals_as_floats
from scoring.method import Method
from scoring.period import Period, cut_off_table, latest
from scoring.policy import Policy

FIRST_UNIT = "500191"  # 两江新区, the unit with the most pooled projects: where the regulator's ledger opens


def district_indicators(con: duckdb.DuckDBPyConnection, period: Period, method: Method,
                        policy: Policy) -> pd.DataFrame:
    """D1–D5 and their parts (the method's registry) for all 41 units (R16) up to the period's
    cut-off, D5 on the stages judged as of its as-of day under the policy's time limits (R10)."""
    return district_indicators_at(con, [period], method, policy).drop(columns="until")


def district_indicators_at(con: duckdb.DuckDBPyConnection, periods: list[Period], method: Method,
                           policy: Policy) -> pd.DataFrame:
    """`district_indicators` at each of `periods` (cut-offs of one year: the race's month ends) in one
    query, a column `until` (the cut-off) in front: each cut-off's rows are those it gives alone."""
    c = method.construction
    last = latest(periods)
    with engine.session(con) as session, session.registered("cut_offs", cut_off_table(periods)):
        frame = session.query("districts/indicators", scope=None, year=last.year, growth_cap=c.growth_cap,
                              min_base=c.district_min_base, min_pool=c.district_min_pool,
                              min_stages=c.district_min_stages, until=last.until,
                              **sla.stage_params(last.as_of, week=method.sla_week, policy=policy))
    registry = method.registry
    return decimals_as_floats(frame[["until", "district_code", "name", *registry.ids("district"),
                                     *registry.parts("district")]])


def reserve_ledger(con: duckdb.DuckDBPyConnection, scope: Scope, district_code: str | None = None,
                   as_of: date | None = None) -> pd.DataFrame:
    """融资对接台账 (十九): pooled projects of one unit (or all the scope allows) as of `as_of`.

    A district user sees only its own unit whatever `district_code` asks for, an
    institution only the projects it financed and its own contracts: the scope filters in SQL.
    """
    as_of = as_of or date.today()
    return shared.query_frame(con, "districts/ledger", (scope.key, district_code, as_of.isoformat()), scope,
                              at_import=True, as_of=as_of, district=district_code)


def reserve_summary(con: duckdb.DuckDBPyConnection, scope: Scope, as_of: date | None = None) -> pd.DataFrame:
    """The 融资对接台账 of every unit in scope as of `as_of`, one row each (十九): district_code, name,
    pooled, financed, financed_share, signed_amount — `reserve_ledger`'s rows counted."""
    as_of = as_of or date.today()
    return shared.frame(con, "districts/reserve_summary", (scope.key, as_of.isoformat()),
                        lambda: _reserve_summary(con, scope, as_of), at_import=True)


def _reserve_summary(con: duckdb.DuckDBPyConnection, scope: Scope, as_of: date) -> pd.DataFrame:
    summary = engine.query(con, "districts/reserve_summary", scope=scope, as_of=as_of)
    if scope.role != "regulator":
        return summary
    units = engine.query(con, "overview/districts", scope=None)[["district_code", "name"]]
    table = units.merge(summary.drop(columns="name"), on="district_code", how="left")  # all 41, zeros filled
    table[["pooled", "financed"]] = table[["pooled", "financed"]].fillna(0).astype("int64")
    table["signed_amount"] = table["signed_amount"].map(lambda v: Decimal("0.00") if pd.isna(v) else v)
    return table


def who_to_call(con: duckdb.DuckDBPyConnection, district_code: str, scope: Scope, as_of: date | None = None,
                top: int = 3, days: int = 365) -> pd.DataFrame:
    """Per project category, the `top` institutions that signed the most loans and leases on the
    unit's projects of that category in the `days` before `as_of` (十九 融资对接): category, inst_id,
    name, loans, amount, place. The institutions to call about a pooled project still unfinanced."""
    as_of = as_of or date.today()
    return shared.query_frame(con, "districts/who_to_call", (scope.key, district_code, as_of.isoformat(), top, days),
                              scope, at_import=True, district=district_code, as_of=as_of,
                              since=as_of - timedelta(days=days), top=top)


def pool_by_month(ledger: pd.DataFrame) -> pd.DataFrame:
    """The ledger's projects per pooling month (R16 D3, D4): month (its first day), financed and
    waiting (still without a loan or lease), in month order."""
    months = pd.to_datetime(ledger["pooled_on"]).dt.to_period("M").dt.to_timestamp()
    counts = (ledger.assign(month=months).groupby(["month", "financed"]).size()
              .unstack(fill_value=0).reindex(columns=[True, False], fill_value=0).sort_index())
    return pd.DataFrame({"month": counts.index, "financed": counts[True].to_numpy(),
                         "waiting": counts[False].to_numpy()})


def callers_by_category(callers: pd.DataFrame) -> pd.DataFrame:
    """`who_to_call` as one row per category: category, then `place_1`, `place_2`, … — each
    "name（n 笔）" in order of place, blank where fewer institutions lent. Every unfinanced project of a
    category has the same institutions to call, so the page lists them once per category."""
    if callers.empty:
        return pd.DataFrame(columns=["category", "place_1"])
    wide = (callers.assign(text=callers["name"] + "（" + callers["loans"].astype("int64").astype(str) + " 笔）",
                           column="place_" + callers["place"].astype("int64").astype(str))
            .pivot(index="category", columns="column", values="text"))
    places = sorted(wide.columns, key=lambda c: int(c.removeprefix("place_")))
    return wide[places].fillna("").reset_index().rename_axis(columns=None)


def unfinanced(ledger: pd.DataFrame, callers: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The ledger's pooled projects without financing, longest waiting first, each with days_waiting
    and `call` — the names of the institutions active in its district and category (`who_to_call`)."""
    names = callers.groupby("category")["name"].agg("、".join)
    waiting = ledger[~ledger["financed"]]
    category = waiting["category"].fillna("other")
    return waiting.assign(
        days_waiting=(pd.Timestamp(as_of) - pd.to_datetime(waiting["pooled_on"])).dt.days.astype("int64"),
        call=category.map(names).fillna(""),
    ).sort_values(["pooled_on", "project_id"]).reset_index(drop=True)
