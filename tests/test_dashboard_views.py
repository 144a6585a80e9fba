"""The engine behind the second-generation dashboard views (issue 10), on the demo database:
the money page's summaries reconcile with the subsidy engine (one figure, one definition, R1–R7),
the city-wide reserve summary with the per-unit ledgers, the "who to call" list with the loans it
comes from, the monthly district race with the evaluation (R16), and a bank's exports name no
other institution."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from decimal import Decimal

import duckdb
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from scoring import bootstrap, budget, dashboard, db, digest, disbursement, districts, engine, quality, race, subsidy
from scoring.access import REGULATOR, Scope
from scoring.evaluation import evaluate
from scoring.method import load_method
from scoring.period import Period
from scoring.policy import load_policy
from ui import show

AS_OF = date(2026, 11, 27)
BANK = Scope("institution", inst_id="B01")
POLICY = load_policy()


@pytest.fixture(scope="module")
def con(demo_path):
    connection = bootstrap.connect(demo_path)
    yield connection
    connection.close()


def test_subsidy_summaries_add_up_to_the_engine_totals(con):
    money = disbursement.overview(con, 2025, scope=REGULATOR, policy=POLICY)
    table = subsidy.subsidy_table(con, 2025, scope=REGULATOR, policy=POLICY)
    total = sum(table["subsidy"], Decimal(0))
    assert sum(money.kinds["subsidy"], Decimal(0)) == total  # by kind (R2–R6)
    assert sum(money.kinds["uncapped"], Decimal(0)) == sum(table["uncapped"], Decimal(0))
    assert sum(money.districts["subsidy"], Decimal(0)) == total  # by district, all 41 listed
    assert len(money.districts) == 41
    assert sum(money.institutions["subsidy"], Decimal(0)) == total  # by institution
    assert list(money.kinds["kind"]) == [k for k in subsidy.KIND_LABELS if k in set(table["kind"])]
    per_kind = table.groupby("kind").agg(projects=("project_id", "nunique"), items=("items", "sum"),
                                         refused=("refused", "sum"))
    kinds = money.kinds.set_index("kind")
    assert (kinds[["projects", "items", "refused"]] == per_kind.reindex(kinds.index)).all().all()
    assert money.subsidised_projects == table.loc[table["subsidy"] > 0, "project_id"].nunique()
    detail = subsidy.payment_detail(con, 2025, scope=REGULATOR, policy=POLICY)
    refused = detail[~detail["eligible"]]
    assert money.refusals["payments"].sum() == len(refused)  # R1, by reason
    for row in money.refusals.itertuples():
        of_reason = refused[refused["reason"] == row.reason]
        assert (row.payments, row.loans, row.interest) == (
            len(of_reason), of_reason["loan_id"].nunique(), sum(of_reason["interest_paid"], Decimal(0)))
        rows = subsidy.refused_of_year(con, 2025, row.reason, scope=REGULATOR, policy=POLICY)
        assert sorted(rows["payment_id"].to_pylist()) == sorted(of_reason["payment_id"])
    listed = show.rows_of(subsidy.refused_of_year(con, 2025, scope=REGULATOR, policy=POLICY),
                          shape=disbursement.names(con, REGULATOR).of)  # as the page names its rows
    assert len(listed) == len(refused)
    assert listed["ent_name"].notna().all()  # every refused payment names its enterprise


@pytest.mark.parametrize("scope", [REGULATOR, BANK, Scope("district", district_code="500191")], ids=lambda s: s.role)
def test_the_digest_s_refused_payments_are_the_year_s_refusals_of_those_days(con, scope):
    """R1: the digest's list judges only its days' payments (`refused_payments`), the money pages' list
    is read off the year's subsidies (`refused_of_year`): the same rows, also across a year end."""
    for since, until in [(date(2025, 3, 20), date(2025, 3, 21)), (date(2025, 6, 1), date(2025, 9, 30)),
                         (date(2024, 12, 20), date(2025, 3, 31))]:  # a digest's day (interest is paid on the 21st)
        digest_rows = subsidy.refused_payments(con, since, until, scope=scope, policy=POLICY)
        of_years = pd.concat([engine.to_pandas(subsidy.refused_of_year(con, year, scope=scope, policy=POLICY))
                              for year in range(since.year, until.year + 1)], ignore_index=True)
        on_days = of_years[(of_years["paid_on"] > since) & (of_years["paid_on"] <= until)].reset_index(drop=True)
        assert len(on_days) > 0  # the window holds refused payments: the comparison says something
        pd.testing.assert_frame_equal(digest_rows, on_days, check_exact=True)


def test_the_payment_plan_pays_no_more_than_the_budget_and_splits_every_claim(con):
    budget, share = Decimal("100000000.00"), Decimal("0.6")
    plan = disbursement.plan(con, 2025, budget, share, scope=REGULATOR, policy=POLICY)
    totals = plan.totals
    assert totals["paid"] <= budget and totals["paid"] + totals["waiting"] == totals["subsidy"]
    assert totals["city_part"] + totals["district_part"] == totals["subsidy"]  # 市区共担 adds up to the fen
    assert totals["partial_claims"] <= 1  # at most one claim is paid in part (R7)
    assert plan.summary["claims"].sum() == totals["claims"]
    queue = engine.to_pandas(plan.queue)
    paid = queue[queue["status"] == "paid"]
    waiting = queue[queue["status"] == "waiting"]
    assert list(engine.to_pandas(plan.claims("waiting"))["payment_id"]) == list(waiting["payment_id"])
    assert paid["queue_no"].max() < waiting["queue_no"].min()  # paid in queue order
    first_waiting = waiting.iloc[0]
    assert not (waiting["cooperating"] & (waiting["queue_no"] < first_waiting["queue_no"])).any()
    # cooperating institutions first (R7): no other institution's claim is ahead of a cooperating one
    queue = queue.sort_values("queue_no")
    assert not (queue["cooperating"].astype(int).diff().fillna(0) > 0).any()


def test_the_reserve_summary_counts_each_units_ledger(con):
    summary = districts.reserve_summary(con, REGULATOR, AS_OF).set_index("district_code")
    assert len(summary) == 41
    for code in ("500191", "500112", "500229"):
        ledger = districts.reserve_ledger(con, REGULATOR, code, AS_OF)
        assert summary.loc[code, "pooled"] == len(ledger)
        assert summary.loc[code, "financed"] == int(ledger["financed"].sum())
        assert summary.loc[code, "signed_amount"] == sum(ledger["signed_amount"], Decimal(0))
    district = districts.reserve_summary(con, Scope("district", district_code="500191"), AS_OF)
    assert list(district["district_code"]) == ["500191"]  # a district sees its own row only
    bank = districts.reserve_summary(con, BANK, AS_OF)  # an institution: only the projects it lends to
    assert bank["pooled"].sum() == len(districts.reserve_ledger(con, BANK, None, AS_OF))


def test_who_to_call_lists_institutions_that_lent_in_that_district_and_category(con):
    callers = districts.who_to_call(con, "500191", REGULATOR, AS_OF)
    assert len(callers) and (callers.groupby("category").size() <= 3).all()
    lent = con.execute("""
        select coalesce(p.category, 'other') as category, l.inst_id, count(*) as n
        from loans l join projects p on p.project_id = l.project_id
        where p.district_code = '500191' and l.signed_on > ? and l.signed_on <= ?
        group by 1, 2""", [date(2025, 11, 27), AS_OF]).df()
    for row in callers.itertuples():
        counts = lent[lent["category"] == row.category].set_index("inst_id")["n"]
        assert counts[row.inst_id] == row.loans  # counted from the loans themselves
        assert row.loans == counts.sort_values(ascending=False).iloc[row.place - 1]  # most active first
    ledger = districts.reserve_ledger(con, REGULATOR, "500191", AS_OF)
    waiting = districts.unfinanced(ledger, callers, AS_OF)
    assert len(waiting) == int((~ledger["financed"]).sum()) and (waiting["days_waiting"] >= 0).all()
    assert (waiting["call"] != "").all()


def test_callers_are_listed_once_per_category_in_order_of_place():
    callers = pd.DataFrame({"category": ["smart", "smart", "green", "smart"], "inst_id": ["B2", "B1", "B1", "L1"],
                            "name": ["乙银行", "甲银行", "甲银行", "丙租赁"], "loans": [5, 7, 2, 1],
                            "amount": [0, 0, 0, 0], "place": [2, 1, 1, 3]})
    wide = districts.callers_by_category(callers).set_index("category")
    assert list(wide.columns) == ["place_1", "place_2", "place_3"]
    assert wide.loc["smart"].tolist() == ["甲银行（7 笔）", "乙银行（5 笔）", "丙租赁（1 笔）"]
    assert wide.loc["green"].tolist() == ["甲银行（2 笔）", "", ""]  # fewer lenders: blank places
    assert districts.callers_by_category(callers.head(0)).empty


@pytest.mark.slow
def test_the_december_district_race_is_the_years_evaluation(con):
    method = load_method()
    ranks = race.monthly_district_ranks(con, 2025, method=method, policy=POLICY)
    assert sorted(ranks["month"].dt.month.unique()) == list(range(1, 13))
    december = ranks[ranks["month"] == pd.Timestamp(2025, 12, 1)].set_index("district_code")
    year = evaluate(con, Period.of(2025), method, draws=0, policy=POLICY).district_rows.set_index("district_code")
    assert (december["rank"] == year["rank"].reindex(december.index)).all()
    assert december["score"].tolist() == pytest.approx(year["score"].reindex(december.index).tolist())


def test_the_selection_line_is_the_last_score_the_rule_would_pick():
    method = load_method()  # qualifying 60, k between 3 and 5
    month = pd.Timestamp(2025, 3, 1)
    scores = pd.DataFrame({"month": [month] * 7, "peer_group": ["bank"] * 7,
                           "score": [91.0, 80.0, 72.0, 65.0, 61.0, 58.0, None]})
    lines = race.selection_lines(scores, method)
    assert lines["line"].tolist() == [61.0]  # five qualify: the fifth best
    few = race.selection_lines(scores.assign(score=[70.0, 50.0, 40.0, 30.0, None, None, None]), method)
    assert few["line"].tolist() == [70.0]  # one qualifies: it is the line
    none = race.selection_lines(scores.head(2), method)
    assert none["line"].isna().all()  # fewer than MIN_PEERS scored: no line


def test_a_banks_exports_name_no_other_institution(con):
    """The workbooks 我的贴息 and 我的“3个1” offer hold only the bank's own rows (issue 10 no-leak)."""
    names = disbursement.names(con, BANK)
    plan = disbursement.plan(con, 2025, None, None, scope=BANK, policy=POLICY)
    items = disbursement.named_items(subsidy.subsidy_table(con, 2025, scope=BANK, policy=POLICY), names)
    refused = subsidy.refused_of_year(con, 2025, scope=BANK, policy=POLICY)
    sheets = {
        "items": (items, {"project_id": "项目编号", "ent_name": "企业", "kind_text": "类别", "inst_id": "机构",
                          "subsidy": "封顶后（万元）"}),
        "queue": (show.rows_of(plan.queue, shape=names.of),
                  {"queue_no": "序号", "ent_name": "企业", "inst_name": "机构", "subsidy": "贴息（万元）"}),
        "refused": (show.rows_of(refused, shape=names.of), {"payment_id": "付息编号", "inst_name": "机构"}),
    }
    others = con.execute("select inst_id, name from institutions where inst_id <> 'B01'").fetchall()
    own = con.execute("select name from institutions where inst_id = 'B01'").fetchall()[0][0]
    text = ""
    for name, (frame, columns) in sheets.items():
        book = openpyxl.load_workbook(io.BytesIO(show.people_workbook_bytes(
            {name: (frame, show.export_columns(frame, columns, money=("subsidy",)))})))
        text += "\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)
    assert own in text and "B01" in text  # positive control: the bank's own name and id are there
    leaks = [(i, n) for i, n in others
             if re.search(rf"(?<![A-Za-z0-9]){re.escape(i)}(?![A-Za-z0-9])", text) or n in text]
    assert not leaks


def test_enterprise_names_follow_the_scope(con):
    bank = disbursement.enterprise_names(con, BANK)
    served = con.execute("select distinct ent_id from loans where inst_id = 'B01' union "
                         "select distinct ent_id from applications where inst_id = 'B01'").df()
    assert set(bank["ent_id"]) == set(served["ent_id"])
    district = disbursement.enterprise_names(con, Scope("district", district_code="500191"))
    related = con.execute("select ent_id from enterprises where district_code = '500191' union "
                          "select ent_id from projects where district_code = '500191'").df()
    assert set(district["ent_id"]) <= set(related["ent_id"])  # its own firms, or firms with projects there
    everyone = set(disbursement.enterprise_names(con, REGULATOR)["ent_id"])
    assert set(con.execute("select distinct ent_id from loans").df()["ent_id"]) <= everyone


def test_the_warm_up_prepares_the_year_the_sidebar_opens_on():
    from scoring.dashboard import DataWindow
    today = date.today()
    assert DataWindow(date(2024, 6, 1), today).opening_year(today) == today.year  # this year to date
    assert DataWindow(date(2020, 1, 1), date(2022, 5, 31)).opening_year(today) == 2022  # data ended earlier
    assert DataWindow(None, None).opening_year(today) is None


def test_the_warm_up_computes_what_the_regulators_pages_open_on(demo_path, tmp_path, monkeypatch):
    """The background warm-up asks, through the pages' own loaders and arguments, for the subsidies and
    the data-quality findings and the budget's baseline of the year the sidebar opens on and the year
    before (and each district official's claims of 机构服务), for 总览's totals and the regulator's and each district official's 今日提醒 of the sidebar's day
    (these first: the landing pages), and for 储备库台账 as the
    regulator and each district official open it (issue 14: a restarted server's first 贴息与拨付, 数据质量,
    贴息预算模拟, 总览 and 储备库台账 read them)."""
    from ui import data, warm
    asked = []
    path = tmp_path / "warm.duckdb"  # the app keeps its connection open: not the file other tests read
    shutil.copyfile(demo_path, path)
    monkeypatch.setenv(db.DB_ENV, str(path))
    ledgers, plans = [], []

    def record(fn, *args, scope, **kw):
        asked.append((fn, args[:1], scope))
        if fn is districts.reserve_ledger:  # asked for by keyword, as 储备库台账 asks
            ledgers.append((kw["district_code"], scope))
        if fn is disbursement.plan:
            plans.append((args, scope))

    monkeypatch.setattr(data, "load", record)
    monkeypatch.setattr(data, "load_shared", record)
    assert warm.warm_up()  # True: every step ran (the page benchmark times it, and refuses a failed one)
    with data.cursor() as cur:
        window = dashboard.data_window(cur)
    year, as_of = window.opening_year(date.today()), window.clamp(date.today())
    assert {(dashboard.totals, (y,), REGULATOR) for y in (year, year - 1)} <= set(asked)
    official = Scope("district", district_code="500191")
    assert (digest.panel, (as_of,), REGULATOR) in asked and (digest.panel, (as_of,), official) in asked
    # the landing pages' data first (区县赛马's months, every 今日提醒, 总览's totals), then the rest
    landing = [i for i, (fn, _, _) in enumerate(asked) if fn in (digest.panel, dashboard.totals)]
    assert max(landing) < min(i for i, (fn, _, _) in enumerate(asked) if fn is race.monthly_scores)
    for fn in (disbursement.overview, quality.findings):
        assert {(fn, (y,), REGULATOR) for y in (year, year - 1)} <= set(asked), fn.__qualname__
    assert {(budget.summary, (y,), None) for y in (year, year - 1)} <= set(asked)
    # 机构服务 as the district official opens it: the claims of the year without a budget, in queue order
    assert plans == [((y, None, None), official) for y in (year, year - 1)]
    # 储备库台账 as the regulator opens it, and as the demo's district official (两江新区) opens it
    assert (districts.reserve_summary, (), REGULATOR) in asked
    assert ledgers == [(districts.FIRST_UNIT, REGULATOR), ("500191", official)]
    assert {(districts.who_to_call, (districts.FIRST_UNIT,), REGULATOR), (districts.who_to_call, ("500191",), official)} <= set(asked)


def test_a_failed_warm_up_says_so_and_lets_the_pages_compute(demo_path, tmp_path, monkeypatch, caplog):
    """A step that fails ends the warm-up with False and a logged error, never an exception in the
    server's background thread, and still marks it done (the benchmark and the sign-in wait for that)."""
    from ui import data, warm
    path = tmp_path / "warm.duckdb"
    shutil.copyfile(demo_path, path)
    monkeypatch.setenv(db.DB_ENV, str(path))

    def failing(*args, **kwargs):
        raise duckdb.IOException("磁盘读取失败")

    monkeypatch.setattr(data, "load", failing)
    monkeypatch.setattr(data, "load_shared", failing)
    warm.done.clear()
    assert warm.warm_up() is False
    assert warm.done.is_set()
    assert "warm-up of the dashboard caches failed" in caplog.text


def test_the_warm_up_runs_once_per_data_version(monkeypatch):
    """After an import (a new data version) the slow results are computed again in the background,
    once; a rerun of the same version starts nothing (`ui.data.warm_version`)."""
    from ui import data
    calls = []
    monkeypatch.setenv(data.WARM_ENV, "1")
    monkeypatch.setattr(data, "_after_open", [lambda: calls.append("warm")])
    monkeypatch.setattr(data, "_warmed", set())
    for version in ("v1", "v1", "v2", "v1", "v2"):
        data.warm_version(version, wait=True)
    assert calls == ["warm", "warm"]
    monkeypatch.setenv(data.WARM_ENV, "0")  # switched off (the page tests): nothing runs
    data.warm_version("v3", wait=True)
    assert calls == ["warm", "warm"]


def test_a_data_version_is_warming_while_its_warm_up_runs(monkeypatch):
    """`ui.data.warming` is true for the data version whose warm-up is running, and only then."""
    import threading
    import time

    from ui import data
    started, release = threading.Event(), threading.Event()
    monkeypatch.setenv(data.WARM_ENV, "1")
    monkeypatch.setattr(data, "_after_open", [lambda: (started.set(), release.wait(30))])
    monkeypatch.setattr(data, "_warmed", set())
    monkeypatch.setattr(data._run, "version", "v1", raising=False)
    assert not data.warming()
    data.warm_version("v1")  # in the background, as after an import
    assert started.wait(30) and data.warming()
    monkeypatch.setattr(data._run, "version", "v0")  # another version's run is not told
    assert not data.warming()
    monkeypatch.setattr(data._run, "version", "v1")
    release.set()
    for _ in range(300):  # the thread finishes
        if not data.warming():
            break
        time.sleep(0.01)
    assert not data.warming()


def test_overdue_rows_are_coloured_by_how_late_they_are():
    days = pd.Series([0, 1, 4, 5, 9, 10, 25, None], index=list("abcdefgh"))
    light, middle, dark = (colour for _, colour in reversed(show.LATENESS))
    assert show.lateness_colours(days).tolist() == ["", light, light, middle, middle, dark, dark, ""]
    assert show.lateness_colours(days).index.tolist() == list("abcdefgh")


def _coloured_table(rows: int) -> None:
    import pandas as pd
    import streamlit as st  # noqa: F401 — AppTest runs this function's source as a page

    from ui import show

    frame = pd.DataFrame({"app_id": [f"A{i:04d}" for i in range(rows)], "late": list(range(rows, 0, -1))},
                         index=range(100, 100 + rows))
    show.table(frame, {"app_id": "申请编号", "late": "已超时（工作日）"}, highlight=show.lateness_colours(frame["late"]))


@pytest.mark.parametrize("rows", [12, show.MAX_COLOURED + 100])
def test_a_coloured_table_shows_its_first_rows_with_their_own_colours(rows):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_coloured_table, args=(rows,)).run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert len(shown) == min(rows, show.MAX_COLOURED)
    assert shown["申请编号"].iloc[0] == "A0000" and shown["已超时（工作日）"].iloc[0] == rows
    said = [c.value for c in at.caption]
    assert (f"共 {rows:,} 行，此处显示前 {show.MAX_COLOURED:,} 行。" in said) == (rows > show.MAX_COLOURED)
    css = at.dataframe[0].proto.arrow_data.styler.styles
    assert "#F4C7C3" in css and ("#FEF3E2" in css) == (rows <= 12)


@pytest.mark.parametrize("budget", [Decimal("100000000.00"), Decimal("0"), None])
def test_the_queue_s_summary_and_totals_are_the_exact_sums_of_its_claims(con, budget):
    """`queue_summary` and `queue_totals` sum in Arrow decimals: the same Decimal yuan as summing the
    queue's claims in Python, group by group; an empty queue gives zeros."""
    table = subsidy.payment_queue_table(con, 2025, budget, Decimal("0.6"), scope=REGULATOR, policy=POLICY)
    queue = engine.to_pandas(table)
    queue["waiting"] = [s - p for s, p in zip(queue["subsidy"], queue["paid"], strict=True)]
    money = ["subsidy", "paid", "waiting", "city_part", "district_part"]
    summary = disbursement.queue_summary(table).set_index(["status", "cooperating"])
    for (status, cooperating), rows in queue.groupby(["status", "cooperating"]):
        assert summary.loc[(status, cooperating), "claims"] == len(rows)
        for name in money:
            assert summary.loc[(status, cooperating), name] == sum(rows[name], Decimal("0.00"))
    totals = disbursement.queue_totals(table)
    assert {name: totals[name] for name in money} == {name: sum(queue[name], Decimal("0.00")) for name in money}
    assert sum(totals[f"{s}_claims"] for s in subsidy.STATUS_LABELS) == totals["claims"] == len(queue)
    empty = disbursement.queue_totals(table.slice(0, 0))
    assert empty["claims"] == 0 and all(empty[name] == Decimal("0.00") for name in money)
    assert disbursement.queue_summary(table.slice(0, 0)).empty


def test_names_are_looked_up_as_pandas_maps_them():
    """Names.of gives each id its name as pandas' map would, the frame's index kept; an id the scope
    may not name stays blank."""
    enterprises = pd.DataFrame({"ent_id": ["E1", "E2"], "name": ["甲公司", "乙公司"]})
    names = disbursement.Names.of_frames({"ent_id": enterprises, "inst_id": pd.DataFrame({"inst_id": ["B1"], "name": ["甲银行"]}),
                                          "district_code": pd.DataFrame({"district_code": ["500101"], "name": ["万州区"]})})
    rows = pd.DataFrame({"ent_id": ["E2", None, "E9", "E1", "E2"], "inst_id": ["B1", "B1", "B9", None, "B1"]},
                        index=[5, 6, 7, 8, 9])
    named = names.of(rows)
    expected = rows["ent_id"].map(enterprises.set_index("ent_id")["name"])
    assert named["ent_name"].tolist()[0] == "乙公司" and list(named.index) == [5, 6, 7, 8, 9]
    assert named["ent_name"].isna().tolist() == expected.isna().tolist() == [False, True, True, False, False]
    assert named["ent_name"].dropna().tolist() == expected.dropna().tolist()
    assert named["inst_name"].tolist()[:2] == ["甲银行", "甲银行"] and named["inst_name"].isna().sum() == 2
    assert "district_name" not in named  # no district column: no name asked for


def test_a_long_lists_download_is_built_from_arrow_on_click(monkeypatch):
    """`show.download` of an Arrow list (issue 14): nothing is converted until the button's callable
    runs; then the whole list goes through the page's `shape`, with 万元, ISO days and text a spreadsheet
    would run neutralised. A list longer than an Excel sheet gets a note, not a button."""
    buttons, notes = [], []
    monkeypatch.setattr(show.st, "download_button", lambda label, data, **kw: buttons.append(data))
    monkeypatch.setattr(show.st, "caption", notes.append)
    converted = []
    monkeypatch.setattr(show, "to_pandas", lambda table: converted.append(table.num_rows) or engine.to_pandas(table))
    rows = pa.table({"ent_id": ["E1", "E2", "E3"], "paid_on": pa.array([date(2025, 3, 1), None, date(2025, 4, 2)]),
                     "subsidy": pa.array([Decimal("12345.67"), Decimal("0.01"), None], pa.decimal128(18, 2))})
    names = {"E1": "甲公司", "E2": "=HYPERLINK(\"http://x\")", "E3": "丙公司"}
    shape = lambda frame: frame.assign(ent_name=frame["ent_id"].map(names))  # noqa: E731
    show.download(rows, {"ent_name": "企业", "paid_on": "付息日", "subsidy": "贴息（万元）"}, "清单", money=("subsidy",),
                  shape=shape)
    assert converted == []  # a rerun converts nothing
    book = openpyxl.load_workbook(io.BytesIO(buttons[0]()))
    assert converted == [3]  # the click converts the whole list, once
    values = list(book.active.iter_rows(values_only=True))
    assert values[0] == ("企业", "付息日", "贴息（万元）")
    assert values[1][:2] == ("甲公司", "2025-03-01") and values[1][2] == pytest.approx(1.234567)
    risky = book.active.cell(row=3, column=1)  # a text cell, never a formula (the people workbook's writer)
    assert risky.data_type == "s" and risky.value == names["E2"] and values[2][1] in ("", None)  # missing day blank
    assert values[3][0] == "丙公司" and values[3][2] in ("", None)
    show.download(pa.table({"a": pa.nulls(1_048_576, pa.string())}), {"a": "甲"}, "太长")
    assert len(buttons) == 1 and "超过 Excel 单个工作表的上限" in notes[-1]
