"""The district horse race (R16, 十九): the 41 units' indicators and the 融资对接台账.

`district_indicators` gives D1–D5 of `queries/districts/indicators.sql` for every unit
(the evaluation pipeline scores them with the method's district weights);
`reserve_ledger` lists a unit's key-project reserve pool (重点技改项目储备库) and whether,
when and by whom each project was financed, within the caller's scope.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from scoring.access import REGULATOR, Scope
from scoring.db import sql
from scoring.indicators import cut_off, same_day_last_year
from scoring.method import DISTRICT_INDICATORS, Method

PARTS = {
    "D1_before": "上年获贷金额（元）",
    "D4_pooled": "截至年末入库项目数",
    "D4_financed": "其中已获技改专项贷项目数",
    "D5_met": "按时办结环节数",
    "D5_breached": "超时环节数",
}

def district_indicators(con: duckdb.DuckDBPyConnection, year: int, method: Method,
                        until: date | None = None) -> pd.DataFrame:
    """D1–D5 and their parts for all 41 units (R16) up to the cut-off `until` (default the
    end of `year`); needs `scoring.indicators.prepare` with the same cut-off."""
    until = cut_off(year, until)
    frame = con.execute(sql("districts/indicators"),
                        {"year": year, "growth_cap": method.construction.growth_cap,
                         "min_base": method.construction.district_min_base,
                         "min_pool": method.construction.district_min_pool,
                         "min_stages": method.construction.district_min_stages,
                         "until": until, "until_last_year": same_day_last_year(until)}).df()
    return frame[["district_code", "name", *DISTRICT_INDICATORS, *PARTS]]


def reserve_ledger(con: duckdb.DuckDBPyConnection, scope: Scope = REGULATOR, district_code: str | None = None,
                   as_of: date | None = None) -> pd.DataFrame:
    """融资对接台账 (十九): pooled projects of one unit (or all the scope allows) as of `as_of`.

    A district user sees only its own unit whatever `district_code` asks for, an
    institution only the projects it financed and its own contracts: the scope filters in SQL.
    """
    params = {"as_of": as_of or date.today(), "district": district_code} | scope.params
    return con.execute(sql("districts/ledger"), params).df()

