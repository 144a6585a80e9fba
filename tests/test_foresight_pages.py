"""The pages of issue 11 (budget simulator, projection, data quality, 今日提醒) under AppTest, on the
published demo database of tests/test_pages.py, and their figure builders."""

from __future__ import annotations

import pytest

from test_pages import accounts, app, page_text, published_path  # noqa: F401  (fixtures)
from ui import foresight

pytestmark = pytest.mark.slow  # page renders


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_budget_page_shows_a_changed_rule_s_cost(app, accounts):
    found, _ = accounts
    at = app(found["regulator"])
    at.switch_page("pages/budget.py").run()
    assert not at.exception and not at.error
    assert metric(at, "模拟方案补贴总额") == metric(at, "现行规则补贴总额")
    assert not next(m for m in at.metric if m.label == "模拟方案补贴总额").delta  # unchanged: no arrow
    share = next(n for n in at.number_input if n.label.startswith("贷款贴息比例"))
    share.set_value(60.0).run()
    assert not at.exception and not at.error
    assert metric(at, "模拟方案补贴总额") != metric(at, "现行规则补贴总额")
    assert next(m for m in at.metric if m.label == "模拟方案补贴总额").delta  # the change, with its arrow
    assert "贷款贴息比例 60%" in page_text(at)


def test_the_cost_curve_is_drawn_when_its_tab_is_opened(app, accounts):
    """The sweep runs a subsidy pass per point, so 贴息预算模拟 runs it only in the open 参数扫描 tab
    (issue 14); there it draws one row per point, the cost rising with the loan cap per project (caps.loan)."""
    found, _ = accounts
    at = app(found["regulator"])
    at.switch_page("pages/budget.py").run()
    assert not any("补贴总额（万元）" in t.value.columns for t in at.dataframe)  # closed: not computed
    at.session_state["budget_tab"] = "参数扫描"
    at.run()
    assert not at.exception and not at.error
    curve = next(t.value for t in at.dataframe if "补贴总额（万元）" in t.value.columns)
    assert len(curve) == 10  # the default points
    cost = curve["补贴总额（万元）"].astype(float)
    assert cost.is_monotonic_increasing and cost.iloc[-1] > cost.iloc[0]


def test_budget_figures_have_titles_and_units():
    import pandas as pd
    from decimal import Decimal as D

    frame = pd.DataFrame({"label": ["两江新区"], "baseline": [D("10000")], "variant": [D("20000")]})
    fig = foresight.budget_compare(frame, "label", "标题")
    assert fig.layout.title.text == "标题" and "万元" in fig.layout.xaxis.title.text
    curve = pd.DataFrame({"value": [D("500"), D("1000")], "cost": [D("1e8"), D("2e8")]})
    fig = foresight.cost_curve(curve, "封顶（万元）", D("1.5e8"), "曲线")
    assert fig.layout.xaxis.title.text == "封顶（万元）" and "亿元" in fig.layout.yaxis.title.text
    assert list(fig.data[0].y) == [1.0, 2.0]


def test_the_projected_order_puts_place_one_at_the_top_with_no_place_above_it():
    """Ranks run from 1 at the top to the last place at the bottom: autorange padded for the names and
    showed places 0 and −1 above the first."""
    import pandas as pd

    frame = pd.DataFrame({"label": ["两江新区", "九龙坡区", "巴南区"], "rank": [1, 3, 2], "projected_rank": [2, 1, 3],
                          "score": [80.0, 70.0, 75.0], "projected_score": [78.0, 81.0, 70.0],
                          "projected_score_low": [77.0, 80.0, 69.0], "projected_score_high": [79.0, 82.0, 71.0]})
    fig = foresight.projected_order(frame, "目前名次与预计年末名次", "两江新区")
    assert list(fig.layout.yaxis.range) == [3.6, 0.4] and fig.layout.yaxis.title.text == "名次"
    assert [list(trace.y) for trace in fig.data] == [[1, 2], [3, 1], [2, 3]]


def test_quality_pages_bank_sees_its_own_rows_regulator_sees_all(published_path, accounts, monkeypatch):
    import duckdb

    from scoring import db
    from test_pages import open_app

    con = duckdb.connect(str(published_path))
    mine = con.execute("select loan_id from loans where inst_id = 'B01' and year(signed_on) = 2026 "
                       "order by loan_id limit 1").fetchall()[0][0]
    con.execute("update row_arrivals set first_seen = least(first_seen + 100, date '2026-11-27') "
                "where row_key = ? ", [mine])  # B01 now reports it late (Q5)
    others = [r[0] for r in con.execute("select loan_id from loans where inst_id = 'B09' and year(signed_on) = 2026 "
                                        "and cast(right(loan_id, 2) as integer) % 25 = 7").fetchall()]
    con.close()
    monkeypatch.setenv(db.DB_ENV, str(published_path))
    found, _ = accounts
    bank = open_app(published_path, found["bank"], year=2026)
    bank.switch_page("pages/quality.py").run()
    assert not bank.exception and not bank.error
    text = page_text(bank)
    assert mine in text and "贷款签约后过久才报送" in text
    assert not any(loan_id in text for loan_id in others)  # B09's doubted loans are B09's business
    regulator = open_app(published_path, found["regulator"], year=2026)
    regulator.switch_page("pages/quality.py").run()
    assert not regulator.exception and not regulator.error
    text = page_text(regulator)
    assert mine in text and all(loan_id in text for loan_id in others)


# --- the projection views (issue 11 §1): 2026 runs to the demo's last day, 2026-11-27 --------------


def point_projection(path, as_of):
    """The point projection of 2026 the pages draw (the interval's draws do not move the point)."""
    from scoring import bootstrap, forecast

    con = bootstrap.connect(path, demo_if_missing=False)
    try:
        return forecast.forecast(con, 2026, as_of, draws=0)
    finally:
        con.close()


def page_of_2026(path, account, page, monkeypatch):
    """`page` signed in as `account` on the running year 2026, and the point projection of its as-of day."""
    from scoring import db
    from test_pages import open_app

    monkeypatch.setenv(db.DB_ENV, str(path))
    at = open_app(path, account, year=2026)
    at.switch_page(page).run()
    assert not at.exception and not at.error
    return at, point_projection(path, next(d.value for d in at.date_input if d.label == "观察日"))


def test_my_rank_shows_the_bank_s_own_year_end_at_this_pace(published_path, accounts, monkeypatch):
    found, institutions = accounts
    me = found["bank"].scope.inst_id
    at, projection = page_of_2026(published_path, found["bank"], "pages/my_rank.py", monkeypatch)
    expected = projection.institutions.set_index("inst_id").loc[me]
    assert metric(at, "预计年末综合得分") == f"{expected['projected_score']:.2f}"
    assert metric(at, "预计组内名次") == f"第 {int(expected['projected_rank'])} 名"
    assert metric(at, "预计等级（R15）") == expected["projected_grade"]
    low, high = next(m.delta for m in at.metric if m.label == "预计年末综合得分").removeprefix("区间 ").split("–")
    assert float(low) <= expected["projected_score"] <= float(high)  # the interval holds the point
    text = page_text(at)
    assert "按目前进度" in text and "入选概率" in text and "自助抽样" in text
    own_name = next(name for inst_id, name in institutions if inst_id == me)
    assert not [name for inst_id, name in institutions if inst_id != me and name in text and name not in own_name]


def test_district_race_shows_the_projected_year_end_order(published_path, accounts, monkeypatch):
    found, _ = accounts
    own = found["district"].scope.district_code
    at, projection = page_of_2026(published_path, found["district"], "pages/district_race.py", monkeypatch)
    expected = projection.districts.set_index("district_code")
    table = next(t.value for t in at.dataframe if "预计年末名次" in t.value.columns and "区县" in t.value.columns
                 and "上次提醒时名次" not in t.value.columns)  # the page's race, not its 今日提醒 panel's own row
    assert len(table) == 41
    assert table["预计年末名次"].tolist() == expected["projected_rank"].astype(int).tolist()
    assert metric(at, f"{expected.loc[own, 'name']} · 预计年末名次").startswith(
        f"第 {int(expected.loc[own, 'projected_rank'])} 名 / 41")
    assert "区县赛马：目前名次" in page_text(at)


def test_regulator_race_shows_the_projected_order_beside_the_current(published_path, accounts, monkeypatch):
    found, _ = accounts
    at, projection = page_of_2026(published_path, found["regulator"], "pages/race.py", monkeypatch)
    expected = projection.institutions
    text = page_text(at)
    for group in ("bank", "leasing"):
        ranked = expected[(expected["peer_group"] == group) & expected["projected_rank"].notna()]
        table = next(t.value for t in at.dataframe if "预计年末名次" in t.value.columns
                     and set(t.value["机构"]) == set(ranked["name"]))
        assert table["目前名次"].tolist() == ranked.sort_values(["projected_rank", "inst_id"])["rank_to_date"].astype(int).tolist()
    assert text.count("目前名次（截至") == 2 and "预计年末" in text


def test_today_panel_lists_the_user_s_own_late_reports(published_path, accounts, monkeypatch, tmp_path):
    """今日提醒 with issue 15's reporting status: the bank sees its own missing October (its records of
    it removed), the regulator every institution's. The demo's B04 and B07 also never reported October
    2026 (due 13 November, the 10th working day): 10 working days late on 27 November."""
    import shutil

    from scoring import bootstrap, db
    from test_pages import open_app

    found, institutions = accounts
    me = found["bank"].scope.inst_id
    path = tmp_path / "late.duckdb"
    shutil.copy(published_path, path)
    con = bootstrap.connect(path, demo_if_missing=False)
    con.execute("delete from submission_periods where inst_id = ? and period = '2026-10'", [me])
    db.bump_data_version(con)  # a new data version: nothing cached for the old one is served
    con.close()
    monkeypatch.setenv(db.DB_ENV, str(path))
    names = dict(institutions)

    bank = open_app(path, found["bank"], year=2026)
    bank.switch_page("pages/my_sla.py").run()
    assert not bank.exception and not bank.error
    tab = next(t for t in bank.tabs if t.label.startswith("逾期报送"))
    assert tab.label == "逾期报送（1）"
    text = page_text(bank)
    assert "月度报送：逾期未报 1 期（最长逾期 10 个工作日）" in text and "2026-10" in text
    assert names["B04"] not in text and names["B07"] not in text

    regulator = open_app(path, found["regulator"], year=2026)
    regulator.switch_page("pages/overview.py").run()
    assert not regulator.exception and not regulator.error
    table = next(t.value for t in regulator.dataframe if "报送期间" in t.value.columns)
    assert sorted(table["机构编号"]) == sorted(["B04", "B07", me])
    assert set(table["逾期工作日"]) == {10}
