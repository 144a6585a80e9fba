"""Figure builders: titles, axis titles with units, trace counts, values in the right unit,
one colour per institution everywhere (AppTest cannot look inside plotly charts)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import districts
from scoring.method import load_method
from scoring.policy import load_policy
from ui import figures, fmt, palette

METHOD = load_method()
STAGES = load_policy().stage_labels()  # the built-in policy's stage names (R10)

MONTHS = pd.date_range("2025-01-01", periods=12, freq="MS")


def monthly_frame() -> pd.DataFrame:
    amounts = [Decimal("150000000.00")] * 12  # 1.5 亿元 a month
    return pd.DataFrame({
        "month": MONTHS,
        "amount": amounts,
        "cumulative_amount": [Decimal("150000000.00") * (i + 1) for i in range(12)],
        "mean_rate": [0.029] * 12,
        "mean_lpr": [0.031] * 12,
    })


def race_frame() -> pd.DataFrame:
    rows = []
    for i, month in enumerate(MONTHS[:3]):
        for inst_id, name, group, per_month in [("B01", "甲银行", "bank", 100_000_000), ("B02", "乙银行", "bank", 50_000_000),
                                                ("L01", "丙租赁", "leasing", 10_000_000)]:
            rows.append({"inst_id": inst_id, "name": name, "peer_group": group, "month": month,
                         "cumulative_amount": Decimal(per_month * (i + 1)), "race_position": 1})
    return pd.DataFrame(rows)


def test_monthly_amount_is_in_yi_yuan_with_units_on_the_axes():
    fig = figures.monthly_amount(monthly_frame(), "2025 年月度投放金额")
    assert fig.layout.title.text == "2025 年月度投放金额"
    assert fig.layout.yaxis.title.text == "金额（亿元）" and fig.layout.xaxis.title.text == "月份"
    bars, line = fig.data
    assert list(bars.y) == [1.5] * 12  # 150,000,000 yuan = 1.5 亿元
    assert line.y[-1] == pytest.approx(18.0)  # 12 × 1.5
    assert pd.Timestamp(bars.x[0]) == pd.Timestamp("2025-01-01")
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.tickformat == "%Y年%-m月"


def test_rate_vs_lpr_is_in_percent():
    fig = figures.rate_vs_lpr(monthly_frame())
    assert fig.layout.title.text == "贷款加权平均利率与同期LPR"
    assert fig.layout.yaxis.title.text == "年利率（%）"
    rate, lpr = fig.data
    assert rate.y[0] == pytest.approx(2.9) and lpr.y[0] == pytest.approx(3.1)


def test_volume_race_animates_one_peer_group_month_by_month():
    fig = figures.volume_race(race_frame(), "bank")
    assert fig.layout.title.text == "银行业金融机构：累计投放赛马"
    assert fig.layout.xaxis.title.text == "累计投放金额（亿元）"
    assert [f.name for f in fig.frames] == ["2025年1月", "2025年2月", "2025年3月"]  # one frame a month
    assert all(list(f.data[0].ids) == ["B01", "B02"] for f in fig.frames)  # leasing is raced separately
    play, pause = fig.layout.updatemenus[0].buttons
    assert (play.label, pause.label) == ("▶ 播放", "❚❚ 暂停")
    assert list(play.args[0]) == ["2025年1月", "2025年2月", "2025年3月"]  # plays from January
    assert len(fig.layout.sliders[0].steps) == 3 and fig.layout.sliders[0].active == 2
    last = fig.data[0]  # the still picture is the last month
    assert list(last.x) == [3.0, 1.5]  # 3 × 100,000,000 and 3 × 50,000,000 yuan in 亿元
    assert list(last.marker.color) == [figures.institution_color("B01"), figures.institution_color("B02")]


def test_compliance_trend_has_a_line_per_stage_plus_peer_median_and_the_r15_line():
    frame = pd.DataFrame({"month": ["2025-03", "2025-03", "2025-03", "2025-04", "2025-04", "2025-04"],
                          "stage": ["connect", "approve", "disburse"] * 2,
                          "compliance_rate": [1.0, 0.5, 0.75, 0.9, 0.8, 0.7]})
    peers = pd.DataFrame({"month": ["2025-03", "2025-04"], "median_rate": [0.8, 0.85]})
    fig = figures.compliance_trend(frame, "按时办结率", METHOD.interview.compliance_below, STAGES, peer_median=peers)
    assert fig.layout.yaxis.title.text == "按时办结率（%）"
    assert [t.name for t in fig.data] == [STAGES["connect"], STAGES["approve"], STAGES["disburse"],
                                          "同组机构中位数"]
    assert list(fig.data[1].y) == [50.0, 80.0]
    assert [pd.Timestamp(x) for x in fig.data[0].x] == [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-01")]
    assert fig.layout.shapes[0].y0 == 60  # the R15 interview line


def test_the_lines_drawn_are_the_methods():
    frame = pd.DataFrame({"inst_id": ["B01"], "name": ["甲银行"], "compliance_rate": [0.9]})
    fig = figures.compliance_by_institution(frame, "各机构按时办结率", 0.7)
    assert fig.layout.shapes[0].x0 == 70 and fig.layout.annotations[0].text == "70% 约谈线"
    month = pd.DataFrame({"month": ["2025-03"], "compliance_rate": [0.9]})
    assert figures.compliance_trend(month, "按时办结率", 0.75, STAGES).layout.annotations[0].text == "75% 约谈线（R15）"
    scores = result_frame().assign(month=MONTHS[0], score=70.0, rank=[1, 2, 3, 4])
    race = figures.score_race(scores, "bank", 65)
    assert race.layout.shapes[0].x0 == 65 and race.layout.annotations[0].text == "合格线 65 分"


def test_compliance_by_institution_names_every_bar_and_highlights_the_focus():
    frame = pd.DataFrame({"inst_id": ["B01", "B02"], "name": ["甲银行", "乙银行"], "compliance_rate": [0.9, 0.55]})
    fig = figures.compliance_by_institution(frame, "各机构按时办结率", METHOD.interview.compliance_below)
    assert fig.layout.xaxis.title.text == "按时办结率（%）"
    bar = fig.data[0]
    assert list(bar.y) == ["乙银行", "甲银行"]  # ascending, best at the top of a horizontal chart
    assert list(bar.text) == ["55.0%", "90.0%"]  # bars carry their values
    assert list(bar.marker.color) == [palette.NEUTRAL] * 2  # names on the axis: no colour per bar needed
    focused = figures.compliance_by_institution(frame, "各机构按时办结率", 0.6, "B01").data[0]
    assert list(focused.marker.color) == [palette.MUTED, palette.FOCUS]


def test_amount_by_institution_is_in_wan_yuan():
    frame = pd.DataFrame({"inst_id": ["B01"], "name": ["甲银行"], "subsidy": [Decimal("123456.78")]})
    fig = figures.amount_by_institution(frame, "subsidy", "贴息", "贴息（万元）")
    assert fig.layout.xaxis.title.text == "贴息（万元）"
    assert fig.data[0].x[0] == pytest.approx(12.345678)


@settings(max_examples=200, deadline=None)
@given(a=st.from_regex(r"[BL][0-9]{2}", fullmatch=True), b=st.from_regex(r"[BL][0-9]{2}", fullmatch=True))
def test_institution_colours_are_stable_and_apart_for_neighbours(a, b):
    """The same id always gets the same colour; ten neighbours of one group never share one, nor
    do the first five banks and the first five leasing companies (the palette has ten hues)."""
    assert figures.institution_color(a) == figures.institution_color(a) in palette.QUALITATIVE
    numbers = (int(a[1:]), int(b[1:]))
    if a != b and ((a[0] == b[0] and 0 < abs(numbers[0] - numbers[1]) < len(palette.QUALITATIVE))
                   or (a[0] != b[0] and 1 <= min(numbers) and max(numbers) <= 5)):
        assert figures.institution_color(a) != figures.institution_color(b)


def test_every_indicator_of_the_default_method_has_its_own_colour():
    ids = [ind.id for group in ("bank", "leasing") for ind in METHOD.indicators_for(group)]
    colours = {i: palette.indicator_color(i) for i in ids}
    assert len(set(colours.values())) == len(colours)  # V1 and I1 no longer share a blue


def test_no_axis_uses_si_suffixes():
    frame = pd.DataFrame({"inst_id": ["B01"], "name": ["甲银行"], "subsidy": [Decimal("200000000.00")]})
    fig = figures.amount_by_institution(frame, "subsidy", "贴息", "贴息（万元）")
    assert fig.layout.xaxis.exponentformat == "none" and fig.layout.yaxis.exponentformat == "none"


INDICATOR_LABELS = {"V1": "V1 技改专项贷发放金额", "S1": "S1 “3个1”限时办结达标率"}


def result_frame() -> pd.DataFrame:
    """Three scored banks and a vetoed one, as an evaluation's institutions table."""
    return pd.DataFrame({
        "inst_id": ["B01", "B02", "B03", "B04"], "name": ["甲银行", "乙银行", "丙银行", "丁银行"],
        "peer_group": ["bank"] * 4, "score": [80.0, 70.0, 55.0, None], "rank": [1, 2, 3, None],
        "median_rank": [1.0, 2.0, 3.0, None], "rank_p05": [1.0, 1.0, 2.0, None], "rank_p95": [2.0, 3.0, 3.0, None],
        "V1_contrib": [50.0, 40.0, 30.0, None], "S1_contrib": [30.0, 30.0, 26.0, None],
        "deduction": [0.0, 0.0, 1.0, None], "selected": [True, True, False, False],
    })


def test_rank_band_draws_the_5_to_95_interval_of_each_scored_institution():
    fig = figures.rank_band(result_frame(), "名次及其稳健区间")
    band, median, rank = fig.data
    assert list(band.y) == ["甲银行", "乙银行", "丙银行"]  # the vetoed bank has no rank and no band
    assert list(band.base) == pytest.approx([1 - 0.0005, 1 - 0.0005, 2 - 0.0005])  # from p05 …
    assert list(band.customdata) == [2.0, 3.0, 3.0]  # … to p95
    assert list(rank.x) == [1.0, 2.0, 3.0] and list(median.x) == [1.0, 2.0, 3.0]
    assert fig.layout.xaxis.title.text == "名次（1 为最好）"


def test_contribution_stack_sums_to_each_composite():
    fig = figures.contribution_stack(result_frame(), INDICATOR_LABELS, "各指标得分贡献")
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == list(INDICATOR_LABELS.values())
    totals = [sum(t.x[i] for t in bars) for i in range(3)]
    assert totals == [80.0, 70.0, 56.0]  # 50 + 30, 40 + 30, 30 + 26 (丙 before its 1-point deduction)
    assert list(fig.data[-1].text) == ["80.0", "70.0", "56.0"]  # each bar carries its total
    assert list(fig.layout.xaxis.range) == [0, 100]
    assert fig.layout.barmode == "stack" and fig.layout.xaxis.title.text == "对综合得分的贡献（分）"


def contributions(row: pd.Series) -> pd.Series:
    """The row's contributions by indicator id, as a result's tidy indicator rows give them."""
    return pd.Series({i: row[f"{i}_contrib"] for i in INDICATOR_LABELS})


def test_score_waterfall_ends_at_the_published_score_after_the_deduction():
    row = result_frame().iloc[2]  # 丙银行: 30 + 26 − 1 = 55
    fig = figures.score_waterfall(contributions(row), row, INDICATOR_LABELS, "综合得分构成")
    steps = fig.data[0]
    assert list(steps.x) == ["V1", "S1", "扣分", "得分"]
    assert list(steps.y) == [30.0, 26.0, -1.0, 55.0]
    assert list(steps.measure) == ["relative", "relative", "relative", "total"]
    assert sum(steps.y[:-1]) == steps.y[-1]
    assert fig.layout.yaxis.title.text == "得分（分）"


def test_score_waterfall_leaves_out_a_zero_deduction():
    row = result_frame().iloc[0]
    fig = figures.score_waterfall(contributions(row), row, INDICATOR_LABELS, "综合得分构成")
    assert list(fig.data[0].x) == ["V1", "S1", "得分"]


def test_rank_shift_draws_a_line_per_institution_thick_when_selection_changes():
    old = result_frame().iloc[:3]
    new = old.assign(rank=[2, 1, 3], selected=[False, True, True])
    fig = figures.rank_shift(old, new, "现行与模拟名次")
    assert len(fig.data) == 3
    widths = {t.name: t.line.width for t in fig.data}
    assert widths == {"甲银行": 4, "乙银行": 1.5, "丙银行": 4}  # 甲 leaves, 丙 joins
    assert list(fig.data[0].y) == [1, 2]
    assert fig.layout.yaxis.title.text == "名次（1 为最好）"


def test_gap_to_line_colours_what_lags_behind():
    # gap = mine − the selected mean: V1 2.5 points behind (highlighted), S1 1.0 ahead
    gaps = pd.DataFrame({"label": ["V1", "S1"], "gap": [-2.5, 1.0]})
    fig = figures.gap_to_line(gaps, "差距")
    assert list(fig.data[0].y) == ["S1", "V1"]
    assert list(fig.data[0].marker.color) == [palette.NEUTRAL, figures.HIGHLIGHT]
    assert fig.layout.xaxis.title.text == "本机构 − 入选机构平均（分，负数为落后）"


def test_district_scores_highlight_one_unit_among_all():
    table = pd.DataFrame({"district_code": ["500191", "500112", "500229"], "name": ["两江新区", "渝北区", "城口县"],
                          "score": [80.0, 70.0, 20.0], "rank": [1, 2, 3]})
    fig = figures.district_scores(table, "区县赛马", "500112")
    assert list(fig.data[0].y) == ["两江新区", "渝北区", "城口县"]
    assert list(fig.data[0].marker.color) == [figures.MUTED, figures.HIGHLIGHT, figures.MUTED]
    assert fig.layout.xaxis.title.text == "区县赛马得分（分）"


def test_score_race_has_a_frame_per_month_the_ytd_axis_and_the_qualifying_line():
    table = result_frame()
    scores = pd.concat([
        table.assign(month=MONTHS[0], score=[None, 58.0, None, None], rank=[None, 1, None, None]),  # one scored yet
        table.assign(month=MONTHS[1], score=[60.0, 75.0, 50.0, None], rank=[2, 1, 3, None]),
    ])
    fig = figures.score_race(scores, "bank", METHOD.lines.qualifying)
    assert fig.layout.title.text == "银行业金融机构：综合得分赛马"
    assert fig.layout.xaxis.title.text == "年初至当月末综合得分（分）"
    assert fig.layout.yaxis.title.text == "名次（按综合得分）"
    assert [f.name for f in fig.frames] == ["2025年1月", "2025年2月"]  # one frame a month
    assert list(fig.frames[0].data[0].ids) == ["B02"]  # only the scored race
    assert list(fig.frames[1].data[0].ids) == ["B01", "B02", "B03"]  # the vetoed bank never does
    play, _ = fig.layout.updatemenus[0].buttons
    assert list(play.args[0]) == ["2025年1月", "2025年2月"]
    assert [step.label for step in fig.layout.sliders[0].steps] == ["2025年1月", "2025年2月"]
    assert fig.layout.sliders[0].currentvalue.prefix == "月份："
    still = fig.data[0]  # the last month
    assert (list(still.x), list(still.y)) == ([60.0, 75.0, 50.0], [2, 1, 3])
    assert list(fig.layout.yaxis.range) == [3.5, 0.5]  # places 1…3 from the top, fixed across frames
    assert fig.layout.shapes[0].x0 == 60


def test_score_race_keeps_a_month_with_nobody_scored_so_both_groups_share_the_slider():
    scores = result_frame().assign(month=MONTHS[0], score=None, rank=None)
    fig = figures.score_race(scores, "bank", METHOD.lines.qualifying)
    assert [f.name for f in fig.frames] == ["2025年1月"] and len(fig.frames[0].data[0].ids) == 0


def test_pool_progress_counts_projects_by_pooling_month_and_financing():
    ledger = pd.DataFrame({"pooled_on": pd.to_datetime(["2025-03-02", "2025-01-20", "2025-01-05"]),
                           "financed": [True, False, True]})
    counts = districts.pool_by_month(ledger)
    assert counts["month"].dt.strftime("%Y-%m").tolist() == ["2025-01", "2025-03"]
    fig = figures.pool_progress(counts, "入库与融资对接")
    financed, waiting = fig.data
    assert list(financed.y) == [1, 1] and list(waiting.y) == [1, 0]  # January: one each; March: one financed
    assert fig.layout.yaxis.title.text == "项目数（个）" and fig.layout.barmode == "stack"


@pytest.mark.parametrize(("indicator", "raw", "text"), [
    ("V1", 2_366_640_000, "23.67 亿元"),  # 2,366,640,000 yuan / 100,000,000
    ("V2", 0.9649, "96.5%"),
    ("P1", 33.1275, "33.1 个基点"),
    ("S2", 7.0, "7 个工作日"),
    ("D3", 178.0, "178 个"),
    ("S1", None, "—"),
])
def test_indicator_values_read_in_their_units(indicator, raw, text):
    assert fmt.indicator_value(indicator, raw) == text


def test_headline_amounts_switch_from_wan_to_yi_yuan_at_one_hundred_million():
    assert fmt.money_text(Decimal("99999999.99")) == "10,000.00 万元"  # 99,999,999.99 / 10,000 rounds to 10,000.00
    assert fmt.money_text(Decimal("100000000.00")) == "1.00 亿元"
    assert fmt.money_text(Decimal("12345.67")) == "1.23 万元"


def map_units() -> pd.DataFrame:
    """Every unit of the race: the 38 with polygons and the three functional zones."""
    from ui import geo
    codes = sorted(geo.codes_with_polygons()) + list(geo.zones()["district_code"])
    return pd.DataFrame({"district_code": codes, "name": [f"单位{c}" for c in codes], "rank": range(1, 42),
                         "score": [90.0 - i for i in range(41)], "value": [90.0 - i for i in range(41)],
                         "text": [f"{90 - i} 分" for i in range(41)]})


def test_the_district_map_draws_38_districts_3_zones_and_the_outlines_offline():
    from ui import geo
    fig = figures.district_map(map_units(), "赛马得分（分）", "区县赛马地图", "500112", "500191")
    districts, outline, zones = fig.data  # the focus 500112 has a polygon; the selected 500191 is a zone
    assert districts.type == "choropleth" and len(districts.locations) == 38
    assert districts.featureidkey == "properties.adcode" and districts.geojson == geo.GEOJSON_URL
    assert not geo.GEOJSON_URL.startswith(("http:", "https:", "//"))  # served by the app itself
    assert list(outline.locations) == ["500112"] and outline.marker.line.color == figures.HIGHLIGHT
    assert outline.hoverinfo == "skip"  # hover and clicks fall through to the unit below
    assert zones.type == "scattergeo" and list(zones.text) == ["两江新区", "西部科学城重庆高新区", "万盛经开区"]
    assert list(zones.marker.line.width) == [3, 1, 1]  # the selected zone is outlined
    assert fig.layout.geo.visible is False and fig.layout.geo.fitbounds == "locations"
    assert all(row[0] in set(map_units()["district_code"]) for row in districts.customdata)  # a click names its unit
    assert "第 %{customdata[2]} 名" in districts.hovertemplate and "赛马得分（分）" in districts.hovertemplate
    assert geo.MAP_CONFIG["topojsonURL"] == geo.TOPOJSON_URL and not geo.TOPOJSON_URL.startswith("http")


def test_the_boundaries_are_the_38_districts_with_clockwise_exteriors_served_unchanged():
    """plotly's geo choropleth needs exterior rings clockwise (data/reference/chongqing-districts.README.md);
    the copy the app serves (static/) is byte-identical to the reference file."""
    from ui import geo
    features = geo.boundaries()["features"]
    assert len(features) == 38 and len(geo.codes_with_polygons()) == 38
    for feature in features:
        polygons = feature["geometry"]["coordinates"]
        polygons = polygons if feature["geometry"]["type"] == "MultiPolygon" else [polygons]
        for exterior, *_ in polygons:
            area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(exterior, exterior[1:], strict=False))
            assert area2 < 0, feature["properties"]["name"]  # negative signed area: clockwise
    static = geo.GEOJSON.parent.parent.parent / "static" / geo.GEOJSON.name
    assert static.read_bytes() == geo.GEOJSON.read_bytes()
    assert (geo.GEOJSON.parent / "chongqing-districts.LICENSE").read_text().count("MIT License") == 1


def test_rank_by_month_puts_place_one_on_top_and_last_year_dashed():
    ranks = pd.DataFrame({"year": [2024, 2024, 2025, 2025], "month": pd.to_datetime(["2024-01-01", "2024-02-01",
                                                                                    "2025-01-01", "2025-02-01"]),
                          "score": [50.0, 52.0, 60.0, 61.0], "rank": [5, 4, 3, 2]})
    fig = figures.rank_by_month(ranks, "逐月名次", 41)
    last, this = fig.data
    assert (last.name, this.name) == ("2024 年", "2025 年") and last.line.dash == "dash"
    assert list(this.x) == [1, 2] and list(this.y) == [3, 2]
    assert list(fig.layout.yaxis.range) == [41.5, 0.5]
    assert list(fig.layout.yaxis.tickvals) == [1, 5, 10, 15, 20, 25, 30, 35, 41]  # 40 would print on top of 41
    first = figures.rank_by_month(ranks.assign(rank=[5, 4, 2, 1]), "逐月名次", 41).data[1]
    assert list(first.text) == ["2", "1"] and list(first.textposition) == ["top center", "bottom center"]


def test_score_by_month_runs_0_to_100_with_grade_lines():
    mine = pd.DataFrame({"month": MONTHS[:2], "score": [55.0, 63.5], "rank": [4, 3]})
    lines = pd.DataFrame({"month": MONTHS[:2], "line": [62.0, 64.0]})
    fig = figures.score_by_month(mine, lines, list(METHOD.lines.grades), "逐月综合得分")
    assert list(fig.layout.yaxis.range) == [0, 100] and list(fig.data[0].text) == ["55.0", "63.5"]
    assert [s.y0 for s in fig.layout.shapes] == [bound for _, bound in METHOD.lines.grades]


def test_grade_distribution_counts_each_group_s_grades_with_upright_labels():
    table = pd.DataFrame({"peer_group": ["bank", "bank", "bank", "leasing", "leasing"],
                          "grade": ["二级", "四级", "四级", "三级", None]})
    fig = figures.grade_distribution(table, ["一级", "二级", "三级", "四级"], "等级分布")
    bars = {bar.name: dict(zip(bar.x, bar.y)) for bar in fig.data}
    bank, leasing = fmt.PEER_GROUPS["bank"], fmt.PEER_GROUPS["leasing"]
    assert bars["四级"][bank] == 2 and bars["二级"][bank] == 1 and bars["三级"][leasing] == 1
    assert bars["未评分"][leasing] == 1 and bars["一级"][bank] == 0
    # a thin segment's count is written level or hidden (uniformtext), never turned on its side
    assert all(bar.textangle == 0 for bar in fig.data)
