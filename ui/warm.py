"""Warm the slowest caches once the database is open, before anyone asks (`ui.data` starts this in
the background at the first visit, while the login form shows). First what each role's landing page
draws: the district race month by month (the district official's first page), today's 今日提醒 facts
(the regulator's panel and each district official's gather the lists they get, which every role's
panel narrows) and the cut-off's 技改专项贷 of 总览. Then the composite race month by month (the
regulator's 赛马 and a bank's 我的排名), the year's subsidies (贴息与拨付) and each district official's share
of them (机构服务, from the claims in queue order), the regulator's data-quality
findings (数据质量) and the budget simulator's current rules, for the year every role opens on and the
year before; while that year runs, its year-end projection from today (按目前进度); 储备库台账 as
the regulator and each district official with an account open it; last, for a closed year among the two,
what its annual job reads (`importer.keep_annual_job_inputs`). Each is
computed through the same loader and arguments as its page, so the page finds it in the cache;
the races and the projection are also kept in the database per data version (`scoring.shared`),
so that a restarted process reads them. It all runs in one `data.computing()` block, so its races,
projection and digest days build each book once (`scoring.shared.books`). `ui.data` runs this when the
database opens and again for every new data version (after an import). A failure here only means the
page computes it.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

import pandas as pd

from scoring import auth, budget, dashboard, digest, disbursement, districts, forecast, importer, quality, race
from scoring.access import REGULATOR, Scope
from scoring.policy import load_policy
from ui import data, figures, session

log = logging.getLogger(__name__)


def charts() -> None:
    """Plotly makes a property's validator the first time a process sets it (0.5 s of 总览's first
    render went there): build and serialise one small chart of the monthly kind every role's first
    page draws (bars, lines, a dashed line, a date axis, the shared layout), so no visitor pays it."""
    month = pd.DataFrame({"month": ["2025-01"], "amount": [1.0], "cumulative_amount": [1.0], "mean_rate": [0.03],
                          "mean_lpr": [0.031]})
    for figure in (figures.monthly_amount(month), figures.rate_vs_lpr(month)):
        figure.to_json()


def district_race_page(shown: int, window: dashboard.DataWindow, policy) -> None:
    """The months the district race page of `shown` draws: its own and last year's."""
    method = session.year_method(shown)
    for y in (y for y in (shown - 1, shown) if y in window.years):
        data.load_shared(race.monthly_district_ranks, y, method=method, policy=policy, scope=None)


done = threading.Event()  # set when a warm-up has finished (the page benchmark waits for it)


def warm_up() -> bool:
    """Warm every cache above; False when a step failed (logged: the pages compute what is missing)."""
    done.clear()
    try:
        with data.computing():
            _warm_up()
        return True
    except Exception:  # warming is an optimisation: the pages compute whatever is missing
        log.exception("warm-up of the dashboard caches failed")
        return False
    finally:
        done.set()


def _warm_up() -> None:
    with data.cursor() as cur:
        window = dashboard.data_window(cur)
        units = auth.district_units(cur)  # the district officials' own 储备库台账, below
    year = window.opening_year(date.today())
    if year is None:
        return
    policy = load_policy()
    years = [y for y in (year, year - 1) if y in window.years]
    as_of = window.clamp(date.today())  # the sidebar's as-of day
    districts_opened = [Scope("district", district_code=u) for u in units]
    # first what the roles' landing pages draw (区县赛马, 总览 and 我的“3个1”, each with 今日提醒), so that a
    # first visitor after an import waits for them half a minute at a million loans, not a minute and a half
    charts()
    district_race_page(years[0], window, policy)
    # today's panels: the regulator's keeps the lists the banks' narrow too, each district official's the
    # districts' own
    for scope in [REGULATOR, *districts_opened]:
        data.load(digest.panel, as_of, scope=scope)
    for y in years:  # 总览's figures named 技改专项贷: the cut-off's loans, built once and kept (3 s at a million)
        data.load(dashboard.totals, y, scope=REGULATOR, until=session.until(y, as_of))
    for shown in years[1:]:
        district_race_page(shown, window, policy)
    for y in years:
        data.load_shared(race.monthly_scores, y, method=session.year_method(y), policy=policy, scope=REGULATOR)
        data.load_shared(disbursement.overview, y, scope=REGULATOR, policy=policy)
        for scope in districts_opened:  # 机构服务's 区县承担: the claims in queue order (R7), kept for every reader
            data.load_shared(disbursement.plan, y, None, None, scope=scope, policy=policy)
        data.load(quality.findings, y, scope=REGULATOR)  # 数据质量: eight checks, 1.4 s at a million loans
        # 贴息预算模拟's first view: the current rules' simulation summed (1.5 s at a million loans)
        data.load_shared(budget.summary, y, budget.Variant(policy), scope=None)
    if as_of.year == year and as_of < date(year, 12, 31):  # the year runs: its pages show the projection
        data.load(forecast.view, year, as_of, scope=REGULATOR, method=session.year_method(year), policy=policy,
                  draws=digest.DRAWS)
    # 储备库台账 as the regulator opens it (the 41 units, the first unit's ledger and whom it could call)
    # and as each district official with an account opens it (the unit's own ledger)
    data.load(districts.reserve_summary, scope=REGULATOR, as_of=as_of)
    for scope, unit in [(REGULATOR, districts.FIRST_UNIT)] + [(s, s.district_code) for s in districts_opened]:
        data.load_shared(districts.reserve_ledger, district_code=unit, as_of=as_of, scope=scope)
        data.load(districts.who_to_call, unit, scope=scope, as_of=as_of)
    # a closed year's 综合评价 and the command line's `sla`, `subsidy`, `evaluate` read what each import keeps for
    # them; a file whose kept results are of the product before an upgrade gets them again here, once (where they
    # are kept, this only finds them). At a million loans the three commands then took 6.5 s, as on the demo as
    # built, against 9.6–10.7 s (README, twenty-fifth pass)
    with data.cursor() as cur:
        for y in years:
            if date(y, 12, 31) < as_of:
                importer.keep_annual_job_inputs(cur, y)
