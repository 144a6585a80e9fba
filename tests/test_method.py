"""The method file (METHOD.md, R12–R16): the default loads with the documented numbers,
and every kind of mistake is refused with a Chinese message naming its key."""

from __future__ import annotations

import dataclasses
import hashlib
import re

import pytest
from evaluation_fixture import RELATIVE

from scoring.method import DEFAULT_METHOD, MethodError, load_method
from scoring.normalise import ABSOLUTE

# The validator is exercised on the relative method's text (its lines are the ones the edits below name).
DEFAULT_TEXT = RELATIVE.read_text(encoding="utf-8")


def variant(*replacements: tuple[str, str]) -> str:
    """The relative method text with each (old, new) replaced; old must occur exactly once."""
    text = DEFAULT_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def problems_of(text: str) -> str:
    with pytest.raises(MethodError) as caught:
        load_method(text)
    return str(caught.value)


# -- the default method ------------------------------------------------------------------

def test_r12_default_weights_are_those_of_method_md():
    method = load_method()
    bank = {i.id: i.weights.get("bank") for i in method.indicators}
    leasing = {i.id: i.weights.get("leasing") for i in method.indicators}
    assert bank == {"V1": 12, "V2": 5, "V3": 8, "T1": 10, "M1": 12, "P1": 13, "P2": 5, "S1": 15, "S2": 5,
                    "E1": 7, "I1": 8, "D1": None, "D2": None, "D3": None, "D4": None, "D5": None}
    assert leasing["M1"] is None  # "—": leasing companies have no re-lending
    assert sum(v for v in leasing.values() if v) == 100
    district = {i.id: i.weights["district"] for i in method.indicators_for("district")}
    assert district == {"D1": 25, "D2": 15, "D3": 20, "D4": 25, "D5": 15}


def test_r12_weights_are_shares_of_the_group():
    method = load_method()
    bank = method.weights("bank")
    assert bank.sum() == pytest.approx(1.0)
    assert bank["S1"] == pytest.approx(0.15)  # 15 of 100
    assert "M1" not in method.weights("leasing")


def test_r12_default_directions_and_normalisations():
    method = load_method()
    assert method.indicator("S2").direction == "lower"
    assert method.indicator("S1").normalisation == "goalposts"
    assert dict(method.indicator("S1").params) == {"lo": 0.60, "hi": 1.00}
    assert method.indicator("T1").normalisation == "distance_to_target"
    assert method.aggregation.method == "weighted_mean" and method.aggregation.weighting == "fixed"


def test_r12_r15_default_grades_on_absolute_bounds_each_with_its_reason():
    """Every graded indicator (banks, leasing) has absolute bounds in the default, and the file
    says why next to them: grades (R15) then mean the same whoever else reported."""
    method = load_method()
    text = DEFAULT_METHOD.read_text(encoding="utf-8")
    graded = {i for g in ("bank", "leasing") for i in method.weights(g).index}
    assert graded == set(method.registry.ids("institution"))
    for ind_id in sorted(graded):
        ind = method.indicator(ind_id)
        assert ind.normalisation in ABSOLUTE, ind_id
        section = re.split(rf"\n\[indicators\.(?!{ind_id}[.\]])", text.split(f"[indicators.{ind_id}]")[1])[0]
        assert "#" in section, f"{ind_id} 的目标区间没有写明理由"
    # volume and reach are judged against the tier's own scale: a village bank's full mark is not a big bank's
    hi = method.indicator("V1").params["hi"]
    assert hi["village"] < hi["joint"] < hi["big"] and "default" in hi
    # a leasing company's rate is held to its own benchmark, not to the LPR a bank is held to
    assert method.indicator("P1").params["hi"]["leasing"] < 0 < method.indicator("P1").params["hi"]["default"]


def test_r13_to_r15_lines_targets_and_eligibility():
    method = load_method()
    assert method.lines.qualifying == 60
    assert method.lines.grades == (("一级", 90), ("二级", 75), ("三级", 60)) and method.lines.lowest_grade == "四级"
    assert method.interview.grades == ("四级",) and method.interview.compliance_below == 0.60
    assert (method.bonus.start, method.bonus.full, method.bonus.points, method.bonus.decimals) == (60, 100, 4, 1)
    assert (method.selection.k_min, method.selection.k_max, method.selection.min_loans) == (3, 5, 5)
    assert (method.targets["bank"].projects, method.targets["bank"].amount) == (100, 5_000_000_000)
    assert (method.targets["leasing"].projects, method.targets["leasing"].amount) == (200, 1_000_000_000)
    # a tier's own commitment where the file gives one, else its group's
    assert method.tier_target("village").amount == 300_000_000
    assert method.tier_target("big") == method.targets["bank"]
    assert method.tier_target("financial_leasing") == method.targets["leasing"]
    assert method.eligibility.leasing_local_paid_in == 200_000_000
    assert method.eligibility.leasing_other_paid_in == 2_000_000_000
    assert method.sla_week == "working"
    assert method.robustness.draws == 1000
    assert (method.robustness.weight_low, method.robustness.weight_high) == (0.75, 1.25)


def test_r12_text_and_hash_are_kept_and_sources_agree(tmp_path):
    by_default = load_method()
    text = DEFAULT_METHOD.read_text(encoding="utf-8")
    assert by_default.text == text
    assert by_default.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    copy = tmp_path / "mine.toml"
    copy.write_text(text, encoding="utf-8")
    assert load_method(copy) == by_default  # a Path
    assert load_method(str(copy)) == by_default  # a path string
    assert load_method(text) == by_default  # the text itself
    changed = load_method(variant(('version = "2025.1"', 'version = "2025.2"')))
    assert changed.sha256 != by_default.sha256


def test_r12_method_is_frozen():
    method = load_method()
    with pytest.raises(dataclasses.FrozenInstanceError):
        method.name = "x"
    with pytest.raises(TypeError):
        method.indicator("V1").weights["bank"] = 99


def test_r12_sql_params_carry_the_settings_the_queries_bind():
    params = load_method().sql_params
    assert params["bank_target_amount"] == 5_000_000_000 and params["leasing_target_projects"] == 200
    assert params["min_loans"] == 5 and params["leasing_local_min_capital"] == 200_000_000


def test_r12_dash_weight_leaves_the_indicator_out_and_the_rest_renormalise():
    method = load_method(variant(("weights = { bank = 12, leasing = \"—\" }", "weights = { bank = \"—\" }")))
    bank = method.weights("bank")
    assert "M1" not in bank
    assert bank["S1"] == pytest.approx(15 / 88)  # 100 − 12 = 88 left


def test_r12_params_may_be_omitted_where_a_method_has_none():
    method = load_method(RELATIVE)
    assert dict(method.indicator("V2").params) == {}


# -- validation: each mistake named by its key ---------------------------------------------

@pytest.mark.parametrize("replacements, key", [
    ((("[indicators.V1]", "[indicators.X9]"),), "indicators.X9"),  # unknown indicator id
    ((('normalisation = "ratio_to_best"\nweights = { bank = 12', 'normalisation = "softmax"\nweights = { bank = 12'),),
     "indicators.V1.normalisation"),  # unknown normalisation
    ((("weights = { bank = 12, leasing = 15 }", "weights = { bank = 0, leasing = 15 }"),),
     "indicators.V1.weights.bank"),  # weights must be positive
    ((("weights = { bank = 12, leasing = 15 }", "weights = { bank = -3, leasing = 15 }"),),
     "indicators.V1.weights.bank"),
    ((("weights = { bank = 12, leasing = 15 }", "weights = { bank = true, leasing = 15 }"),),
     "indicators.V1.weights.bank"),
    ((("weights = { bank = 12, leasing = 15 }", "weights = { bank = 12, leasing = 15, district = 3 }"),),
     "indicators.V1.weights.district"),  # an institution indicator in the district race
    ((("params = { lo = 0.60, hi = 1.00 }\nweights = { bank = 15",
        "params = { lo = 1.00, hi = 0.60 }\nweights = { bank = 15"),),
     "indicators.S1.params"),  # goalposts lo ≥ hi
    ((("params = { lo = 0.60, hi = 1.00 }\nweights = { bank = 15", "weights = { bank = 15"),),
     "indicators.S1.params"),  # goalposts without lo/hi
    ((('direction = "lower"', 'direction = "down"'),), "indicators.S2.direction"),
    ((('grades = [["一级", 90], ["二级", 75], ["三级", 60]]', 'grades = [["一级", 90], ["二级", 95], ["三级", 60]]'),),
     "lines.grades"),  # bands not decreasing
    ((("qualifying = 60", "qualifing = 60"),), "lines.qualifing"),  # unknown key (a typo)…
    ((("qualifying = 60", "qualifing = 60"),), "lines.qualifying：缺少此项"),  # …and the key it lacks
    ((("[sla]", "[slas]"),), "slas"),  # unknown section
    ((('week = "working"', 'week = "fortnight"'),), "sla.week"),
    ((("k_min = 3", "k_min = 6"),), "selection.k_max"),  # k_min > k_max
    ((('district = ["D5"]', 'district = ["S1"]'),), "selection.tiebreak.district"),
    ((('normalisations = ["as_specified", "min_max"', 'normalisations = ["goalposts", "min_max"'),),
     "robustness.normalisations"),  # needs per-indicator parameters
    ((("weight_factor = [0.75, 1.25]", "weight_factor = [1.25, 0.75]"),), "robustness.weight_factor"),
    ((('missing = "zero"', 'missing = "renormalise"'), ('method = "weighted_mean"', 'method = "topsis"')),
     "aggregation.missing"),
    ((("full = 100", "full = 50"),), "bonus.full"),
    ((('veto = ["violation", "risk_event"]', 'veto = ["violation", "speeding"]'),), "flags.veto"),
    ((('criterion = "reach"', 'criterion = "popularity"'),), "indicators.V3.criterion"),
    ((("draws = 1000", 'draws = "many"'),), "robustness.draws"),
    ((('interview]                # R15 约谈：等级为四级，或“3个1”达标率低于 60%\ngrades = ["四级"]',
       'interview]\ngrades = ["五级"]'),), "interview.grades"),
])
def test_r12_invalid_method_names_the_key(replacements, key):
    assert key in problems_of(variant(*replacements))


def test_r12_all_weights_of_a_group_missing():
    text = DEFAULT_TEXT
    for d in ("25", "15", "20"):
        text = text.replace(f"weights = {{ district = {d} }}", 'weights = { district = "—" }')
    assert "district 组没有任何指标有权重" in problems_of(text)


def test_r12_bands_in_the_method_file_must_fall_from_the_best():
    text = variant(('normalisation = "min_max"\nweights = { bank = 8, leasing = 13 }',
                    'normalisation = "bands"\nparams = { bands = [[1, 60], [2, 100]] }\n'
                    'weights = { bank = 8, leasing = 13 }'))
    message = problems_of(text)
    assert "indicators.I1.params" in message and "严格递减" in message


def test_r12_every_problem_is_reported_at_once():
    message = problems_of(variant(('direction = "lower"', 'direction = "down"'), ("k_min = 3", "k_min = 9")))
    assert "indicators.S2.direction" in message and "selection.k_max" in message


def test_r12_not_toml_and_missing_file(tmp_path):
    assert "不是合法的 TOML" in problems_of("[method\nid = ")
    with pytest.raises(MethodError, match="找不到评价办法文件"):
        load_method(tmp_path / "absent.toml")
