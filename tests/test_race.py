"""R12 (十九) — the composite-score horse race month by month, on the hand-worked fixture
(tests/evaluation_fixture.py; raw values as in tests/test_indicators.py) and on the demo."""

from __future__ import annotations

from datetime import date
from unittest.mock import patch

import pandas as pd
import pytest

import evaluation_fixture as fx
from scoring import bootstrap, districts, engine, evaluation, indicators, race, sla
from scoring.access import REGULATOR, Scope
from scoring.evaluation import evaluate
from scoring.method import load_method
from scoring.period import Period
from scoring.policy import load_policy

METHOD = load_method()  # the built-in method file
POLICY = load_policy()  # the built-in policy file

pytestmark = pytest.mark.slow  # twelve evaluations per race


@pytest.fixture(scope="module")
def scores(con):
    # hand-worked under the relative normalisations
    return race.monthly_scores(con, fx.YEAR, method=load_method(fx.RELATIVE), scope=REGULATOR, policy=POLICY)


def test_month_ends_stop_at_the_data_s_last_day():
    assert race.month_ends(2025, date(2025, 3, 14)) == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 14)]
    assert race.month_ends(2024, date(2025, 6, 1))[1] == date(2024, 2, 29)  # a leap year
    assert len(race.month_ends(2024, date(2025, 6, 1))) == 12
    assert race.month_ends(2025, date(2025, 4, 30))[-1] == date(2025, 4, 30)
    assert race.month_ends(2026, date(2025, 12, 31)) == [] and race.month_ends(2025, None) == []


def test_r12_a_row_per_month_and_institution_up_to_the_data_s_last_day(scores):
    # the fixture's last milestone is B5's and B6's disbursement on 2025-09-03: January to September
    assert list(scores.columns) == race.COLUMNS
    assert sorted(scores["month"].unique()) == list(pd.date_range("2025-01-01", "2025-09-01", freq="MS"))
    assert (scores.groupby("month").size() == 9).all()  # six banks and three leasing companies each month


def test_r12_an_institution_races_from_the_month_its_fifth_loan_is_paid_out(scores):
    by = scores.set_index(["inst_id", "month"])
    # B1's 2025 loans are paid out on 03-12, 04-03, 05-08, 06-05 and 07-03: unscored to June, ranked from July
    assert pd.isna(by.loc[("B1", pd.Timestamp("2025-06-01")), "score"])
    assert pd.notna(by.loc[("B1", pd.Timestamp("2025-07-01")), "rank"])
    # L1 and L2 lent on 04-09, L3 on 06-11: nobody in leasing before April, L3 from June
    march, april = (scores[(scores["month"] == pd.Timestamp(m)) & (scores["peer_group"] == "leasing")]
                    for m in ("2025-03-01", "2025-04-01"))
    assert march["rank"].isna().all()
    assert april.set_index("inst_id")["rank"].isna().to_dict() == {"L1": False, "L2": False, "L3": True}


def test_r12_june_score_by_hand(scores):
    # L1 on 30 June: the whole year's composite 47.71 with the T1 contribution 0.21 re-counted against
    # targets pro rata to 181/365 of the year: 47.5 + 0.21 × 365/181 = 47.923481, less 1 point → 46.92
    june = scores[scores["month"] == pd.Timestamp("2025-06-01")].set_index("inst_id")
    assert june.loc["L1", "score"] == 46.92


def test_r12_each_month_is_the_evaluation_cut_off_at_its_end(con, scores):
    for until in (date(2025, 5, 31), date(2025, 9, 3)):
        expected = evaluate(con, Period.of(fx.YEAR, until), fx.RELATIVE, draws=0).institutions.set_index("inst_id")
        month = scores[scores["month"] == pd.Timestamp(until.year, until.month, 1)].set_index("inst_id")
        pd.testing.assert_series_equal(month["score"], expected.loc[month.index, "score"])
        pd.testing.assert_series_equal(month["rank"], expected.loc[month.index, "rank"])


def test_r12_ranks_run_from_one_within_each_peer_group_and_month(scores):
    for _, rows in scores.groupby(["month", "peer_group"]):
        ranked = rows["rank"].dropna()
        assert sorted(ranked) == list(range(1, len(ranked) + 1))
        assert rows["score"].notna().sum() == len(ranked)


def test_an_institution_sees_only_its_own_race_rows(con, scores):
    mine = race.monthly_scores(con, fx.YEAR, method=load_method(fx.RELATIVE), policy=POLICY,
                              scope=Scope("institution", inst_id="L1"))
    assert set(mine["inst_id"]) == {"L1"}
    pd.testing.assert_frame_equal(mine, scores[scores["inst_id"] == "L1"].reset_index(drop=True))


def test_a_year_without_data_has_no_race(con):
    assert race.monthly_scores(con, 2027, method=METHOD, scope=REGULATOR, policy=POLICY).empty


def test_r12_demo_race_of_a_year_ends_on_the_year_s_evaluation(demo_path):
    """(Its time is measured in bench/bench_budgets.py.)"""
    con = bootstrap.connect(demo_path)
    # twelve evaluations without robustness
    scores = race.monthly_scores(con, 2025, method=METHOD, scope=REGULATOR, policy=POLICY)
    whole = evaluate(con, 2025, draws=0).institutions.set_index("inst_id")
    con.close()
    assert scores["month"].nunique() == 12
    december = scores[scores["month"] == pd.Timestamp("2025-12-01")].set_index("inst_id")
    pd.testing.assert_series_equal(december["score"], whole.loc[december.index, "score"])


def test_r16_district_race_at_the_year_end_cut_off_equals_the_whole_year(demo_path):
    con = bootstrap.connect(demo_path)
    whole = evaluation.evaluate(con, 2025, draws=0).districts
    cut = evaluation.evaluate(con, Period.of(2025, date(2025, 12, 31)), draws=0).districts
    pd.testing.assert_frame_equal(whole, cut)


def test_r16_district_race_year_to_date_counts_only_what_happened_by_then(demo_path):
    """At 2025-06-30 every district figure stops at that day: D1 is the year-to-date amount,
    D1_before the same period of 2024, D4's pool only projects pooled by then."""
    con = bootstrap.connect(demo_path)
    ytd = evaluation.evaluate(con, Period.of(2025, date(2025, 6, 30)), draws=0).districts.set_index("district_code")
    engine.materialise(con, "eval_loans", "staging/eval_loans", scope=None, year=2025, until=date(2025, 6, 30))
    expected = con.execute("""
        select e.district_code,
               sum(case when l.disbursed_on between '2025-01-01' and '2025-06-30' then l.amount else 0 end) as d1,
               sum(case when l.disbursed_on between '2024-01-01' and '2024-06-30' then l.amount else 0 end) as before
        from eval_loans l join enterprises e on e.ent_id = l.ent_id
        group by e.district_code""").df().set_index("district_code")
    liangjiang = "500191"
    assert ytd.loc[liangjiang, "D1_raw"] == pytest.approx(float(expected.loc[liangjiang, "d1"]))
    assert ytd.loc[liangjiang, "D1_before"] == pytest.approx(float(expected.loc[liangjiang, "before"]))
    pooled = con.execute("select count(*) from projects where district_code = $d and pooled_on <= '2025-06-30'",
                         {"d": liangjiang}).fetchall()[0][0]
    assert ytd.loc[liangjiang, "D4_pooled"] == pooled


def test_r16_every_month_end_read_off_the_latest_gives_what_that_month_end_gives_alone(demo_path):
    """districts/indicators at the race's month ends in one query — each month end's loans and judged
    stages read off the latest's by the day a cut-off first keeps them (counted_on, judged_on) — gives
    every month end exactly the rows a query for that month end alone gives."""
    con = bootstrap.connect(demo_path)
    periods = [Period.of(2025, until) for until in race.month_ends(2025, date(2025, 12, 31))]
    together = districts.district_indicators_at(con, periods, METHOD, POLICY)
    assert list(together["until"].drop_duplicates()) == [period.until for period in periods]
    for period in periods:
        alone = districts.district_indicators(con, period, METHOD, POLICY)
        month = together[together["until"] == period.until].drop(columns="until").reset_index(drop=True)
        pd.testing.assert_frame_equal(month, alone, check_exact=True)
    city = together.groupby("until")[["D1", "D4_financed", "D5_met", "D5_breached"]].sum()
    assert city.apply(lambda column: column.is_monotonic_increasing).all()  # year to date: never less
    assert (city.iloc[-1] > city.iloc[0]).all()  # and the months differ


def test_r12_every_month_end_read_off_the_latest_gives_what_that_month_end_gives_alone(demo_path):
    """The composite race's month ends: every institution indicator query answers all of them in one pass
    (the loans, products and judged stages of each read off the latest's), and each month end's raw
    indicators and scores are exactly those of an evaluation cut off at that month end alone."""
    con = bootstrap.connect(demo_path)
    periods = [Period.of(2025, until) for until in race.month_ends(2025, date(2025, 12, 31))]
    raw = indicators.raw_indicators_at(con, periods, METHOD, POLICY)
    scores = evaluation.institution_scores_at(con, periods, METHOD, POLICY)
    for period in periods:
        for together, alone in ((raw, indicators.raw_indicators(con, period, METHOD, POLICY)),
                                (scores, evaluation.institution_scores(con, period, METHOD, POLICY))):
            month = together[together["until"] == period.until].drop(columns="until").reset_index(drop=True)
            pd.testing.assert_frame_equal(month, alone, check_exact=True)
    city = raw.groupby("until")[["V1", "V3_enterprises", "T1_projects", "S1_met", "loans_in_year"]].sum()
    assert city.apply(lambda column: column.is_monotonic_increasing).all()  # year to date: never less
    assert (city.iloc[-1] > city.iloc[0]).all()  # and the months differ


def test_institution_scores_are_the_evaluation_s_scores_and_ranks(demo_path):
    """The race reads each month end's scores without the rest of an evaluation: the same numbers."""
    con = bootstrap.connect(demo_path)
    for until in (date(2025, 3, 31), date(2025, 8, 31), date(2025, 12, 31)):
        period = Period.of(2025, until)
        rows = evaluate(con, period, METHOD, draws=0, policy=POLICY).institution_rows
        pd.testing.assert_frame_equal(evaluation.institution_scores(con, period, METHOD, POLICY),
                                      rows[evaluation.SCORE_COLUMNS])
    con.close()


def test_placings_are_the_evaluation_s_scores_ranks_and_selection(demo_path):
    """The projection scores each of its fifty draws with `placings` alone: the institutions' score, rank
    and selection (R12, R13) and the districts' score and rank (R16) are those `score` gives the same
    inputs, dtypes included, early in the year and at its end (each with unscored institutions)."""
    con = bootstrap.connect(demo_path)
    for until in (date(2025, 2, 28), date(2025, 12, 31)):
        period = Period.of(2025, until)
        with engine.session(con) as session:
            inputs = evaluation.read_inputs(session, period, METHOD, POLICY)
        result = evaluation.score(period, METHOD, POLICY, inputs, draws=0)
        institutions, districts = evaluation.placings(inputs, METHOD)
        assert institutions["selected"].any() and institutions["score"].isna().any()
        pd.testing.assert_frame_equal(institutions, result.institution_rows[["inst_id", "score", "rank", "selected"]])
        pd.testing.assert_frame_equal(districts, result.district_rows[["district_code", "score", "rank"]])
    con.close()


def test_a_session_over_many_cut_offs_builds_the_books_once_and_reads_each_day_off_them(demo_path):
    """`cut_offs=True` (the races): the year's loans, the stages, approvals and disbursements are built
    once (staging/eval_book, stage_book, approval_book, disbursal_book), and every cut-off day's 技改专项贷, judged stages,
    S2 and R11 shares are those an ordinary session builds for that day alone."""
    con = bootstrap.connect(demo_path)
    with engine.session(con, cut_offs=True) as many:
        with patch.object(many.backend, "materialise", wraps=many.backend.materialise) as built:
            for day in (date(2025, 1, 31), date(2025, 6, 30), date(2025, 12, 31)):
                with engine.session(con) as one:
                    for session in (many, one):
                        engine.materialise(session, "cut", "staging/eval_loans", scope=None, year=2025, until=day)
                    mine, theirs = (s.backend.arrow("select * from cut order by loan_id", {}) for s in (many, one))
                    assert mine.num_rows > 0 and mine.equals(theirs)
                    params = sla.stage_params(day, week=METHOD.sla_week, policy=POLICY)
                    mine, theirs = (engine.arrow(s, "sla/stages", scope=REGULATOR, **params) for s in (many, one))
                    assert mine.num_rows > 0 and mine.equals(theirs)
                    period = {"period_start": date(2025, 1, 1), "period_end": day}
                    for name in ("sla/cycle_days", "sla/simplified_review"):  # S2 and R11 off disbursal_book, approval_book
                        for scope in (REGULATOR, Scope("institution", inst_id="B01")):
                            mine, theirs = (engine.arrow(s, name, scope=scope, **period) for s in (many, one))
                            assert mine.num_rows > 0 and mine.equals(theirs)
    tables = [call.args[0] for call in built.call_args_list]
    assert tables.count("eval_book") == 1 and tables.count("stage_book") == 1  # once for the three days
    assert tables.count("approval_book") == 1 and tables.count("disbursal_book") == 1
    assert "sla_stages" not in tables  # each day read off the book, not written again
    con.close()
