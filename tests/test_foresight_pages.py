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
