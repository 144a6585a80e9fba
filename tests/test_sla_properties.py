"""R10 invariants of the "3个1" engine on random applications around the long holidays."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import bootstrap, districts, engine, indicators, sla
from scoring.access import REGULATOR, Scope
from scoring.calendar import Calendar
from scoring.method import load_method
from scoring.period import Period, cut_off_table
from scoring.policy import load_policy

POLICY = load_policy()  # the built-in policy file
METHOD = load_method(None)  # the built-in method
WORKING = {"week": "working", "policy": POLICY}  # "1周" as five working days, the built-in policy's limits

pytestmark = pytest.mark.slow  # hypothesis examples that fill a database

ENTERPRISES = {"91500103000000001A": "500103", "91500101000000002B": "500101"}
INSTITUTIONS = ("B1", "B2")
# Registration windows: 国庆 2025, 元旦 and 春节 2026, and the turn into provisional 2027.
ANCHORS = (date(2025, 9, 15), date(2026, 1, 20), date(2026, 12, 10))
SETTINGS = settings(max_examples=30, deadline=None)


@pytest.fixture(scope="module")
def con():
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    con.execute("insert into institutions (inst_id, name, kind, local_legal_person, paid_in_capital) values ('B1', '甲银行', 'bank', false, null), ('B2', '乙银行', 'bank', false, null)")
    for ent_id, district in ENTERPRISES.items():
        con.execute(
            "insert into enterprises values ($ent, '企业', $district, 'small', 'private', true, false, null)",
            {"ent": ent_id, "district": district},
        )
    yield con
    con.close()


@pytest.fixture(scope="module")
def calendar(con):
    return Calendar.from_db(con)


@st.composite
def applications(draw):
    """A valid application row: milestones in order, each present only if the previous is."""
    gap = st.integers(0, 12).map(lambda n: timedelta(days=n))
    registered = draw(st.sampled_from(ANCHORS)) + timedelta(days=draw(st.integers(0, 40)))
    connected = registered + draw(gap) if draw(st.booleans()) else None
    decision = draw(st.sampled_from([None, "pending", "approved", "rejected", "withdrawn"]))
    decided = None
    if decision in ("approved", "rejected") and (connected or draw(st.booleans())):
        decided = (connected or registered) + draw(gap)
    elif decision == "withdrawn" and draw(st.booleans()):  # a withdrawal may have no date
        decided = (connected or registered) + draw(gap)
    disbursed = decided + draw(gap) if decision == "approved" and decided and draw(st.booleans()) else None
    ent_id = draw(st.sampled_from(sorted(ENTERPRISES)))
    inst_id = draw(st.sampled_from(INSTITUTIONS))
    return [ent_id, None, inst_id, None, registered, connected, decision, decided, disbursed, False]


as_of_days = st.dates(date(2025, 9, 10), date(2027, 2, 28))
weeks = st.sampled_from(sla.WEEKS)


def _load(con, rows) -> None:
    con.execute("delete from applications")
    con.executemany(
        "insert into applications values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[f"A{i:02d}", *row] for i, row in enumerate(rows)],
    )


def _day(value) -> date:
    return pd.Timestamp(value).date()


@SETTINGS
@given(rows=st.lists(applications(), min_size=1, max_size=25), as_of=as_of_days, week=weeks)
def test_r10_statuses_partition_the_stages_consistently(con, rows, as_of, week):
    _load(con, rows)
    frame = sla.stage_table(con, as_of, week=week, scope=REGULATOR, policy=POLICY)
    registered = {f"A{i:02d}" for i, row in enumerate(rows) if row[4] <= as_of}
    assert set(frame["app_id"]) == registered
    assert set(frame.loc[frame["stage"] == "connect", "app_id"]) == registered
    assert not frame.duplicated(["app_id", "stage"]).any()
    assert set(frame["status"]) <= set(sla.STATUSES)
    as_of_ts = as_of  # dates come back as datetime.date (scoring.engine.frames)
    assert (frame["done_on"].dropna() <= as_of_ts).all()  # nothing after the as-of day is known
    assert frame["withdrawn"].notna().all() and frame["provisional"].notna().all()
    for row in frame.itertuples():
        if row.status == "met":
            assert row.done_on <= row.deadline
        elif row.status == "breached":
            assert (pd.notna(row.done_on) and row.done_on > row.deadline) or (
                pd.isna(row.done_on) and (as_of_ts > row.deadline or row.withdrawn))
            assert row.working_days_late >= 0
        elif row.status in ("open", "at_risk"):
            assert pd.isna(row.done_on) and row.deadline >= as_of_ts and not row.withdrawn
            assert row.working_days_left >= 0
            assert (row.status == "at_risk") == (row.working_days_left <= 1)
        else:
            assert pd.isna(row.done_on)


@SETTINGS
@given(rows=st.lists(applications(), min_size=1, max_size=25), as_of=as_of_days, week=weeks)
def test_r9_r10_deadlines_are_the_working_days_the_calendar_gives(con, calendar, rows, as_of, week):
    _load(con, rows)
    frame = sla.stage_table(con, as_of, week=week, scope=REGULATOR, policy=POLICY).dropna(subset=["started_on"])
    for row in frame.itertuples():
        start, deadline = _day(row.started_on), _day(row.deadline)
        assert calendar.is_working_day(deadline)
        if row.stage == "connect":
            assert deadline == calendar.add_working_days(start, 1)
        elif week == "working":
            assert deadline == calendar.add_working_days(start, 5)
        else:  # the first working day on or after start + 7
            assert deadline == calendar.add_working_days(start + timedelta(days=6), 1)
        span = (start, deadline)
        assert row.provisional == any(
            calendar.is_provisional(span[0] + timedelta(days=k)) for k in range((span[1] - span[0]).days + 1)
        )


@SETTINGS
@given(rows=st.lists(applications(), min_size=1, max_size=25), as_of=as_of_days, week=weeks,
       by=st.sampled_from([(), ("inst_id",), ("stage", "month"), ("district_code", "stage")]))
def test_r10_compliance_is_a_rate_of_the_judged_stages(con, rows, as_of, week, by):
    _load(con, rows)
    period = (date(2025, 10, 1), date(2026, 6, 30))
    frame = sla.compliance(con, as_of, by=by, period=period, week=week, scope=REGULATOR, policy=POLICY)
    rates = frame["compliance_rate"].dropna()
    assert ((rates >= 0) & (rates <= 1)).all()
    stages = sla.stage_table(con, as_of, week=week, scope=REGULATOR, policy=POLICY)
    in_period = stages[stages["deadline"].notna() & stages["deadline"].between(*period)]
    counts = in_period["status"].value_counts()
    assert frame["met"].sum() == counts.get("met", 0)
    assert frame["breached"].sum() == counts.get("breached", 0)


@SETTINGS
@given(rows=st.lists(applications(), min_size=1, max_size=25), first=as_of_days,
       later=st.integers(0, 60), week=weeks)
def test_r10_a_judged_stage_stays_judged_as_days_pass(con, rows, first, later, week):
    _load(con, rows)
    key = ["app_id", "stage"]
    before = sla.stage_table(con, first, week=week, scope=REGULATOR, policy=POLICY).set_index(key)
    after = sla.stage_table(con, first + timedelta(days=later), week=week, scope=REGULATOR, policy=POLICY).set_index(key)
    assert before.index.isin(after.index).all()  # a listed stage never disappears
    judged = before[before["status"].isin(["met", "breached"])]
    assert (after.loc[judged.index, "status"] == judged["status"]).all()


@SETTINGS
@given(rows=st.lists(applications(), min_size=1, max_size=25), as_of=as_of_days, week=weeks)
def test_r10_a_stage_is_judged_from_the_day_its_book_says_and_not_before(con, rows, as_of, week):
    """staging/stage_book's `judged_on`: a stage of the book is judged met or breached as of a day
    (staging/sla_stages) exactly when that day is on or after it. With the test above (a judged stage
    keeps its status), this is what lets the races read every month end's judged stages off the last
    one's (districts/indicators)."""
    _load(con, rows)
    params = sla.stage_params(as_of, week=week, policy=POLICY)
    book = engine.query(con, "staging/stage_book", scope=None, **params)
    stages = engine.query(con, "staging/sla_stages", scope=None, **params)
    assert book["judged_on"].notna().any() or not (stages["status"].isin(["met", "breached"])).any()
    judged = book.merge(stages[["app_id", "stage", "status"]], on=["app_id", "stage"], how="left")
    expected = judged["status"].isin(["met", "breached"])
    assert (judged["judged_on"].map(lambda day: pd.notna(day) and day <= as_of) == expected).all()


@SETTINGS
@given(rows=st.lists(applications(), min_size=1, max_size=25), days=st.lists(as_of_days, min_size=2, max_size=4),
       week=weeks)
def test_r10_stages_read_off_the_book_for_many_days_equal_each_day_judged_alone(con, rows, days, week):
    """A session over many cut-off days (the races) builds the stages once (staging/stage_book) and
    judges each day off them: the same rows as an ordinary session's, day by day."""
    _load(con, rows)
    with engine.session(con, cut_offs=True) as many:
        for as_of in days:
            pd.testing.assert_frame_equal(sla.stage_table(many, as_of, week=week, scope=REGULATOR, policy=POLICY),
                                          sla.stage_table(con, as_of, week=week, scope=REGULATOR, policy=POLICY))


@SETTINGS
@given(rows=st.lists(applications(), min_size=1, max_size=25), year=st.sampled_from([2025, 2026]),
       cut_offs=st.lists(st.tuples(st.integers(1, 12), as_of_days), min_size=2, max_size=4, unique_by=lambda c: c[0]),
       week=weeks)
def test_s1_and_d5_at_many_cut_offs_in_one_query_are_each_cut_off_alone(con, rows, year, cut_offs, week):
    """The races' month ends in one query read each cut-off's judged stages off the latest's (judged_on,
    staging/stage_book), whatever day each is judged as of: the same S1 and D5 as each cut-off alone."""
    _load(con, rows)
    method = dataclasses.replace(METHOD, sla_week=week)
    periods = [Period(year, (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date(), as_of)
               for month, as_of in cut_offs]
    for together, alone in ((districts.district_indicators_at, districts.district_indicators),
                            (indicators.raw_indicators_at, indicators.raw_indicators)):
        every = together(con, periods, method, POLICY)
        for period in periods:
            cut = every[every["until"] == period.until].drop(columns="until").reset_index(drop=True)
            pd.testing.assert_frame_equal(cut, alone(con, period, method, POLICY), check_exact=True)


@settings(max_examples=15, deadline=None)  # five queries an example
@given(rows=st.lists(applications(), min_size=1, max_size=25), as_of=as_of_days)
def test_scopes_partition_the_regulator_view(con, rows, as_of):
    _load(con, rows)
    everything = sla.stage_table(con, as_of, scope=REGULATOR, **WORKING)
    by_inst = pd.concat([sla.stage_table(con, as_of, scope=Scope("institution", inst_id=i), **WORKING) for i in INSTITUTIONS])
    by_district = pd.concat(
        [sla.stage_table(con, as_of, scope=Scope("district", district_code=d), **WORKING) for d in ENTERPRISES.values()]
    )
    for part in (by_inst, by_district):
        assert sorted(zip(part["app_id"], part["stage"])) == sorted(zip(everything["app_id"], everything["stage"]))


@SETTINGS
@given(rows=st.lists(applications(), min_size=1, max_size=25))
def test_s2_median_matches_numpy_on_working_day_counts(con, calendar, rows):
    _load(con, rows)
    period = (date(2025, 1, 1), date(2027, 12, 31))
    frame = sla.registration_to_disbursement_days(con, period, scope=REGULATOR).set_index("inst_id")
    working = calendar.working_days
    expected: dict[str, list[int]] = {}
    for _, _, inst_id, _, registered, _, decision, _, disbursed, _ in rows:
        if decision == "approved" and disbursed is not None:
            days = np.searchsorted(working, np.datetime64(disbursed), "right") - np.searchsorted(
                working, np.datetime64(registered), "right"
            )
            expected.setdefault(inst_id, []).append(int(days))
    assert sorted(frame.index) == sorted(expected)
    for inst_id, days in expected.items():
        assert frame.loc[inst_id, "disbursements"] == len(days)
        assert frame.loc[inst_id, "median_working_days"] == pytest.approx(float(np.median(days)))


@SETTINGS
@given(rows=st.lists(applications(), min_size=1, max_size=25), year=st.sampled_from([2025, 2026]),
       month=st.integers(1, 12), week=weeks)
def test_s1_and_d5_count_the_judged_stages_due_by_the_cut_off(con, rows, year, month, week):
    # S1 and D5 (R10, R16) filter the stage book on its deadline before judging: they must count exactly
    # the met and breached stages of the judged table whose deadline falls in the year by the cut-off
    _load(con, rows)
    until = (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date()
    period = Period.of(year, until)
    method = dataclasses.replace(METHOD, sla_week=week)
    stages = sla.stage_table(con, period.as_of, week=method.sla_week, scope=REGULATOR, policy=POLICY)
    due = stages[stages["deadline"].notna()]
    due = due[due["deadline"].map(lambda d: d.year == year and d <= until) & due["status"].isin(["met", "breached"])]
    with engine.registered(con, "cut_offs", cut_off_table([period])):
        s1 = engine.query(con, "indicators/compliance", scope=None, year=year, until=until,
                          **sla.stage_params(period.as_of, week=method.sla_week, policy=POLICY)).set_index("inst_id")
    d5 = districts.district_indicators(con, period, method, POLICY).set_index("district_code")
    for column, frame, key in (("S1", s1, "inst_id"), ("D5", d5, "district_code")):
        counted = due.groupby([key, "status"]).size()
        for unit, row in frame.iterrows():
            assert row[f"{column}_met"] == counted.get((unit, "met"), 0)
            assert row[f"{column}_breached"] == counted.get((unit, "breached"), 0)
    assert s1["S1_met"].sum() + s1["S1_breached"].sum() == len(due)
