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
    share = next(n for n in at.number_input if n.label.startswith("贷款贴息比例"))
    share.set_value(60.0).run()
    assert not at.exception and not at.error
    assert metric(at, "模拟方案补贴总额") != metric(at, "现行规则补贴总额")
    assert "贷款贴息比例 60%" in page_text(at)


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
