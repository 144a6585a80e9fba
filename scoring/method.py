"""The evaluation method as data: one versioned TOML file (METHOD.md, R12–R16).

`load_method()` reads `scoring/methods/default.toml`, `load_method(path)` another file
and `load_method(text)` TOML text, checks every key and returns a frozen `Method`. A
regulator changes weights, lines or bands in the file, not in code; a stored run keeps
`Method.text` (the exact source) and `Method.sha256` so it can be reproduced years later.

Every problem found is reported at once, each naming its key in Chinese
("indicators.V1.direction：…"), so a regulator can fix a file in one pass. Every key is
required (a method file says everything it means); unknown keys are errors. The indicators
a method may use are those of the indicator registry (`scoring/registry.py`, one record per
indicator); an indicator's `name` and `direction` default to its record's.
"""

from __future__ import annotations

import copyreg
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from scoring.contract import TIERS
from scoring.normalise import DIRECTIONS, NORMALISATIONS, PARAMETERS, REQUIRED, check_params
from scoring.registry import Registry, load_registry

DEFAULT_METHOD = Path(__file__).resolve().parent / "methods" / "default.toml"

INSTITUTION_GROUPS = ("bank", "leasing")
LEASING_TIERS = ("financial_leasing", "leasing")
GROUPS = (*INSTITUTION_GROUPS, "district")
AGGREGATIONS = ("weighted_mean", "topsis")
WEIGHTINGS = ("fixed", "entropy", "critic")
MISSING = ("zero", "renormalise")
FLAG_KINDS = ("violation", "risk_event", "data_quality")
SLA_WEEKS = ("working", "calendar")
AS_SPECIFIED = "as_specified"  # a robustness alternative: each indicator's own normalisation
LEFT_OUT = ("—", "-", "–")  # a weight written as a dash: the group does not use the indicator
# Alternatives drawn for every indicator at once must need no per-indicator parameters.
ALTERNATIVES = (AS_SPECIFIED, *(n for n, spec in PARAMETERS.items() if REQUIRED not in spec.values()))


# A Method's read-only mappings pickle as the plain dicts they wrap: page caches keep results with their method.
def _read_only(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


copyreg.pickle(MappingProxyType, lambda mapping: (_read_only, (dict(mapping),)))


class MethodError(ValueError):
    """A method file that cannot be used; `problems` lists each one, naming its key."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("评价办法有误：\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    criterion: str
    direction: str  # "higher" | "lower"
    normalisation: str
    params: Mapping[str, Any]
    weights: Mapping[str, float]  # group → weight, only for the groups that use it


@dataclass(frozen=True)
class Aggregation:
    method: str  # weighted_mean | topsis
    weighting: str  # fixed | entropy | critic
    missing: str  # zero | renormalise


@dataclass(frozen=True)
class Lines:
    qualifying: float
    decimals: int  # published scores are rounded half-up to this many places
    grades: tuple[tuple[str, float], ...]  # (label, lowest score), best first
    lowest_grade: str


@dataclass(frozen=True)
class Interview:
    grades: tuple[str, ...]
    compliance_below: float


@dataclass(frozen=True)
class Bonus:
    start: float
    full: float
    points: float
    decimals: int


@dataclass(frozen=True)
class Selection:
    k_min: int
    k_max: int
    min_loans: int
    tiebreak: Mapping[str, tuple[str, ...]]  # group → indicator ids compared when scores tie


@dataclass(frozen=True)
class Eligibility:
    leasing_local_paid_in: int
    leasing_other_paid_in: int


@dataclass(frozen=True)
class Target:
    projects: int
    amount: int  # yuan


@dataclass(frozen=True)
class Construction:
    growth_cap: float
    products_full: float
    cases_full: float
    # R16 small bases: a unit's ratio over too little evidence takes the city-wide value
    district_min_base: float  # yuan of last period's 技改专项贷 below which D2 growth is not the unit's own
    district_min_pool: int  # pooled projects below which D4 is not the unit's own
    district_min_stages: int  # judged "3个1" stages below which D5 is not the unit's own


@dataclass(frozen=True)
class Flags:
    veto: tuple[str, ...]
    deduct: Mapping[str, float]  # flag kind → points deducted per flag
    quality_deduct: float = 0.0  # points per data-quality finding (scoring.quality); 0 = off, the default
    quality_deduct_max: float = 5.0  # at most this many points per institution from findings


@dataclass(frozen=True)
class Robustness:
    draws: int
    weight_low: float
    weight_high: float
    normalisations: tuple[str, ...]
    seed: int


@dataclass(frozen=True)
class Method:
    id: str
    version: str
    name: str
    criteria: Mapping[str, str]
    indicators: tuple[Indicator, ...]
    construction: Construction
    aggregation: Aggregation
    lines: Lines
    interview: Interview
    bonus: Bonus
    selection: Selection
    eligibility: Eligibility
    targets: Mapping[str, Target]  # bank / leasing 揭榜 commitments
    sla_week: str
    flags: Flags
    robustness: Robustness
    text: str
    sha256: str
    registry: Registry  # what each indicator is (id, name, unit, query, parts)
    tier_targets: Mapping[str, Target] = field(default_factory=dict)  # commitments by peer tier, where given

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def indicators_for(self, group: str) -> tuple[Indicator, ...]:
        """The indicators that carry a weight in `group`, in file order."""
        if group not in GROUPS:
            raise ValueError(f"未知的评价分组：{group!r}（可选：{'、'.join(GROUPS)}）")
        return tuple(i for i in self.indicators if group in i.weights)

    def weights(self, group: str) -> pd.Series:
        """The fixed weights of `group` as shares summing to 1 (left-out indicators dropped)."""
        used = self.indicators_for(group)
        raw = pd.Series({i.id: float(i.weights[group]) for i in used}, dtype=float)
        return raw / raw.sum()

    def tier_target(self, tier: str) -> Target:
        """The 揭榜 commitment an institution of `tier` is held to: its tier's, else its group's."""
        return self.tier_targets.get(tier) or self.targets["leasing" if tier in LEASING_TIERS else "bank"]

    @property
    def sql_params(self) -> dict[str, Any]:
        """The method's settings under the names the indicator queries bind (`$growth_cap`, …)."""
        return {
            "bank_target_projects": self.targets["bank"].projects,
            "bank_target_amount": self.targets["bank"].amount,
            "leasing_target_projects": self.targets["leasing"].projects,
            "leasing_target_amount": self.targets["leasing"].amount,
            # per peer tier (a tier without its own commitment takes its group's)
            "tier_names": list(TIERS),
            "tier_target_projects": [self.tier_target(t).projects for t in TIERS],
            "tier_target_amounts": [self.tier_target(t).amount for t in TIERS],
            "growth_cap": self.construction.growth_cap,
            "products_full": self.construction.products_full,
            "cases_full": self.construction.cases_full,
            "min_loans": self.selection.min_loans,
            "leasing_local_min_capital": self.eligibility.leasing_local_paid_in,
            "leasing_other_min_capital": self.eligibility.leasing_other_paid_in,
        }


def load_method(source: str | Path | None = None, registry: Registry | None = None) -> Method:
    """The method in `source`: None = the default file, a Path or path string = that file, else TOML text;
    its indicators are those of `registry` (default: `scoring/methods/indicators.toml`)."""
    return _from_text(_source_text(source), registry or load_registry())



def _source_text(source: str | Path | None) -> str:
    if source is None:
        source = DEFAULT_METHOD
    if isinstance(source, str) and "\n" not in source and source.strip().endswith(".toml"):
        source = Path(source)
    if isinstance(source, Path):
        if not source.is_file():
            raise MethodError([f"找不到评价办法文件：{source}"])
        return source.read_text(encoding="utf-8")
    return source


@lru_cache(maxsize=32)
def _from_text(text: str, registry: Registry) -> Method:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MethodError([f"不是合法的 TOML 文件：{error}"]) from None
    reader = _Reader(registry)
    method = reader.method(data, text)
    if reader.problems:
        raise MethodError(reader.problems)
    return method


_MISSING_VALUE = object()
SECTIONS = ("method", "criteria", "indicators", "construction", "aggregation", "lines", "interview", "bonus",
            "selection", "eligibility", "commitment", "sla", "flags", "robustness")


class _Reader:
    """Reads the parsed TOML section by section, collecting every problem with its key."""

    def __init__(self, registry: Registry):
        self.problems: list[str] = []
        self.registry = registry

    def fail(self, key: str, message: str) -> None:
        self.problems.append(f"{key}：{message}")

    # -- generic readers -------------------------------------------------------------

    def known(self, table: Mapping, path: str, keys: tuple[str, ...]) -> None:
        """Every key of `table` is one of `keys` (optional keys: none is required)."""
        for key in table:
            if key not in keys:
                self.fail(f"{path}.{key}", f"未知配置项（可用：{'、'.join(keys)}）")

    def table(self, parent: Mapping, name: str, path: str, keys: tuple[str, ...] | None) -> dict:
        """Sub-table `name` of `parent`; `keys` = the keys it must have exactly (None = any)."""
        value = parent.get(name, _MISSING_VALUE)
        if value is _MISSING_VALUE:
            self.fail(path, "缺少此项")
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"应为表（键 = 值 的集合），实际为 {value!r}")
            return {}
        if keys is not None:
            for key in value:
                if key not in keys:
                    self.fail(f"{path}.{key}", f"未知配置项（可用：{'、'.join(keys)}）")
            for key in keys:
                if key not in value:
                    self.fail(f"{path}.{key}", "缺少此项")
        return value

    def number(self, table: Mapping, key: str, path: str, *, integer: bool = False, positive: bool = False,
               low: float | None = None, high: float | None = None):
        value = table.get(key)
        if value is None:
            return None  # already reported as missing by `table`
        kind = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind):
            self.fail(f"{path}.{key}", f"应为{'整数' if integer else '数值'}，实际为 {value!r}")
            return None
        if positive and not value > 0:
            self.fail(f"{path}.{key}", f"应大于 0，实际为 {value!r}")
        elif (low is not None and value < low) or (high is not None and value > high):
            self.fail(f"{path}.{key}", f"应在 {low}–{high} 之间，实际为 {value!r}")
        return value

    def text(self, table: Mapping, key: str, path: str, choices: tuple[str, ...] | None = None):
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{path}.{key}", f"应为非空文字，实际为 {value!r}")
            return None
        if choices is not None and value not in choices:
            self.fail(f"{path}.{key}", f"应为 {' / '.join(choices)} 之一，实际为 {value!r}")
            return None
        return value

    def texts(self, table: Mapping, key: str, path: str, choices: tuple[str, ...] | None = None,
              nonempty: bool = False) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"{path}.{key}", f"应为文字列表，实际为 {value!r}")
            return ()
        if nonempty and not value:
            self.fail(f"{path}.{key}", "不能为空列表")
        for v in value:
            if choices is not None and v not in choices:
                self.fail(f"{path}.{key}", f"{v!r} 不是 {' / '.join(choices)} 之一")
        return tuple(value)

    # -- sections --------------------------------------------------------------------

    def method(self, data: dict, text: str) -> Method:
        for key in data:
            if key not in SECTIONS:
                self.fail(key, f"未知配置节（可用：{'、'.join(SECTIONS)}）")
        head = self.table(data, "method", "method", ("id", "version", "name"))
        criteria = self.criteria(data)
        indicators = self.indicators(data, criteria)
        return Method(
            id=self.text(head, "id", "method"),
            version=self.text(head, "version", "method"),
            name=self.text(head, "name", "method"),
            criteria=MappingProxyType(criteria),
            indicators=indicators,
            construction=self.construction(data),
            aggregation=self.aggregation(data),
            lines=(lines := self.lines(data)),
            interview=self.interview(data, lines),
            bonus=self.bonus(data),
            selection=self.selection(data, indicators),
            eligibility=self.eligibility(data),
            targets=self.targets(data),
            tier_targets=self.tier_targets(data),
            sla_week=self.text(self.table(data, "sla", "sla", ("week",)), "week", "sla", SLA_WEEKS),
            flags=self.flags(data),
            robustness=self.robustness(data),
            text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            registry=self.registry.used_by({i.id for i in indicators}),
        )

    def criteria(self, data: dict) -> dict[str, str]:
        table = self.table(data, "criteria", "criteria", None)
        return {key: name for key in table if (name := self.text(table, key, "criteria"))}

    def indicators(self, data: dict, criteria: dict[str, str]) -> tuple[Indicator, ...]:
        table = self.table(data, "indicators", "indicators", None)
        known = tuple(r.id for r in self.registry.records)
        found = []
        for ind_id in table:
            if ind_id not in known:
                self.fail(f"indicators.{ind_id}", f"未知指标编号（可用：{'、'.join(known)}）")
            else:
                found.append(self.indicator(table, ind_id, criteria))
        indicators = tuple(i for i in found if i is not None)
        for group in GROUPS:
            if not any(group in i.weights for i in indicators):
                self.fail("indicators", f"{group} 组没有任何指标有权重（至少需要一个正权重）")
        return indicators

    def indicator(self, table: dict, ind_id: str, criteria: dict[str, str]) -> Indicator | None:
        path = f"indicators.{ind_id}"
        keys = ("name", "criterion", "direction", "normalisation", "params", "weights")
        spec = table[ind_id]
        if isinstance(spec, dict):  # only methods with parameters need params; name and direction are the record's
            record = self.registry.get(ind_id)
            spec = {"params": {}, "name": record.name, "direction": record.direction, **spec}
        count = len(self.problems)
        spec = self.table({ind_id: spec}, ind_id, path, keys)
        name = self.text(spec, "name", path)
        criterion = self.text(spec, "criterion", path, tuple(criteria) or None)
        direction = self.text(spec, "direction", path, DIRECTIONS)
        how = self.text(spec, "normalisation", path, NORMALISATIONS)
        params = self.table(spec, "params", f"{path}.params", None)
        if how and direction:
            for problem in check_params(how, direction, params):
                self.fail(f"{path}.params", problem)
        weights = self.weights(spec, path, self.registry.get(ind_id).subject == "district")
        if len(self.problems) > count:
            return None
        return Indicator(ind_id, name, criterion, direction, how, MappingProxyType(dict(params)),
                         MappingProxyType(weights))

    def weights(self, spec: dict, path: str, district: bool) -> dict[str, float]:
        groups = ("district",) if district else INSTITUTION_GROUPS
        table = self.table(spec, "weights", f"{path}.weights", None)
        weights = {}
        for group, value in table.items():
            key = f"{path}.weights.{group}"
            if group not in groups:
                self.fail(key, f"此指标只能用于 {'、'.join(groups)} 组")
            elif value in LEFT_OUT:
                continue
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                self.fail(key, f"权重应为正数（不用此指标请写 \"—\" 或删去），实际为 {value!r}")
            else:
                weights[group] = float(value)
        return weights

    def construction(self, data: dict) -> Construction:
        ratios = ("growth_cap", "products_full", "cases_full")
        small_bases = ("district_min_base", "district_min_pool", "district_min_stages")
        t = self.table(data, "construction", "construction", ratios + small_bases)
        return Construction(*(self.number(t, k, "construction", positive=True) for k in ratios),
                            self.number(t, "district_min_base", "construction", low=0),
                            *(self.number(t, k, "construction", integer=True, low=0) for k in small_bases[1:]))

    def aggregation(self, data: dict) -> Aggregation:
        t = self.table(data, "aggregation", "aggregation", ("method", "weighting", "missing"))
        result = Aggregation(self.text(t, "method", "aggregation", AGGREGATIONS),
                             self.text(t, "weighting", "aggregation", WEIGHTINGS),
                             self.text(t, "missing", "aggregation", MISSING))
        if result.method == "topsis" and result.missing == "renormalise":
            self.fail("aggregation.missing", "topsis 需要完整的决策矩阵，只能用 zero（缺失按 0 分）")
        return result

    def lines(self, data: dict) -> Lines:
        t = self.table(data, "lines", "lines", ("qualifying", "decimals", "grades", "lowest_grade"))
        return Lines(self.number(t, "qualifying", "lines", low=0, high=100),
                     self.number(t, "decimals", "lines", integer=True, low=0, high=6),
                     self.grades(t), self.text(t, "lowest_grade", "lines"))

    def grades(self, table: dict) -> tuple[tuple[str, float], ...]:
        value = table.get("grades")
        if value is None:
            return ()
        shaped = isinstance(value, list) and value and all(
            isinstance(g, list) and len(g) == 2 and isinstance(g[0], str) and g[0]
            and isinstance(g[1], (int, float)) and not isinstance(g[1], bool) for g in value)
        if not shaped:
            self.fail("lines.grades", f"应为 [[等级名, 最低分], …] 列表，实际为 {value!r}")
            return ()
        lows = [g[1] for g in value]
        if any(a <= b for a, b in zip(lows, lows[1:])) or not all(0 <= v <= 100 for v in lows):
            self.fail("lines.grades", f"各等级最低分应在 0–100 之间且从高到低严格递减，实际为 {lows}")
        labels = [g[0] for g in value] + [table.get("lowest_grade")]
        if len(set(labels)) != len(labels):
            self.fail("lines.grades", f"等级名称不能重复：{labels}")
        return tuple((g[0], float(g[1])) for g in value)

    def interview(self, data: dict, lines: Lines) -> Interview:
        t = self.table(data, "interview", "interview", ("grades", "compliance_below"))
        labels = tuple(g for g, _ in lines.grades) + ((lines.lowest_grade,) if lines.lowest_grade else ())
        return Interview(self.texts(t, "grades", "interview", labels or None),
                         self.number(t, "compliance_below", "interview", low=0, high=1))

    def bonus(self, data: dict) -> Bonus:
        t = self.table(data, "bonus", "bonus", ("start", "full", "points", "decimals"))
        bonus = Bonus(self.number(t, "start", "bonus", low=0, high=100),
                      self.number(t, "full", "bonus", low=0, high=100),
                      self.number(t, "points", "bonus", positive=True),
                      self.number(t, "decimals", "bonus", integer=True, low=0, high=6))
        if bonus.start is not None and bonus.full is not None and not bonus.start < bonus.full:
            self.fail("bonus.full", f"满分线 full 应高于起点 start，实际 start={bonus.start}，full={bonus.full}")
        return bonus

    def selection(self, data: dict, indicators: tuple[Indicator, ...]) -> Selection:
        t = self.table(data, "selection", "selection", ("k_min", "k_max", "min_loans", "tiebreak"))
        k_min = self.number(t, "k_min", "selection", integer=True, low=1, high=1000)
        k_max = self.number(t, "k_max", "selection", integer=True, low=1, high=1000)
        if k_min is not None and k_max is not None and k_min > k_max:
            self.fail("selection.k_max", f"应不小于 k_min，实际 k_min={k_min}，k_max={k_max}")
        tiebreak = {}
        table = self.table(t, "tiebreak", "selection.tiebreak", None) if "tiebreak" in t else {}
        for group, ids in table.items():
            if group not in GROUPS:
                self.fail(f"selection.tiebreak.{group}", f"未知分组（可选：{'、'.join(GROUPS)}）")
                continue
            used = tuple(i.id for i in indicators if group in i.weights)
            tiebreak[group] = self.texts(table, group, "selection.tiebreak", used)
        return Selection(k_min, k_max, self.number(t, "min_loans", "selection", integer=True, low=0, high=10**6),
                         MappingProxyType(tiebreak))

    def eligibility(self, data: dict) -> Eligibility:
        keys = ("leasing_local_paid_in", "leasing_other_paid_in")
        t = self.table(data, "eligibility", "eligibility", keys)
        return Eligibility(*(self.number(t, k, "eligibility", integer=True, positive=True) for k in keys))

    def targets(self, data: dict) -> Mapping[str, Target]:
        t = self.table(data, "commitment", "commitment", None)
        self.known(t, "commitment", (*INSTITUTION_GROUPS, "tiers"))
        return self.target_table(t, "commitment", INSTITUTION_GROUPS)

    def tier_targets(self, data: dict) -> Mapping[str, Target]:
        """Optional `[commitment.tiers]`: a commitment per peer tier (a tier left out takes its group's)."""
        t = data.get("commitment") if isinstance(data.get("commitment"), dict) else {}
        tiers = self.table(t, "tiers", "commitment.tiers", None) if "tiers" in t else {}
        self.known(tiers, "commitment.tiers", TIERS)
        return self.target_table(tiers, "commitment.tiers", tuple(tiers))

    def target_table(self, t: dict, prefix: str, keys: tuple[str, ...]) -> Mapping[str, Target]:
        targets = {}
        for key in keys:
            path = f"{prefix}.{key}"
            g = self.table(t, key, path, ("projects", "amount")) if key in t else {}
            targets[key] = Target(self.number(g, "projects", path, integer=True, positive=True),
                                  self.number(g, "amount", path, integer=True, positive=True))
        return MappingProxyType(targets)

    def flags(self, data: dict) -> Flags:
        t = self.table(data, "flags", "flags", None)
        optional = {"quality_deduct": 0.0, "quality_deduct_max": 5.0}  # scoring.quality's findings, off by default
        for key in t:
            if key not in ("veto", "deduct", *optional):
                self.fail(f"flags.{key}", f"未知配置项（可用：veto、deduct、{'、'.join(optional)}）")
        for key in ("veto", "deduct"):
            if key not in t:
                self.fail(f"flags.{key}", "缺少此项")
        quality = {key: float(self.number(t, key, "flags", low=0, high=100)) if key in t else default
                   for key, default in optional.items()}
        deduct_table = self.table(t, "deduct", "flags.deduct", None) if "deduct" in t else {}
        deduct = {}
        for kind in deduct_table:
            if kind not in FLAG_KINDS:
                self.fail(f"flags.deduct.{kind}", f"未知事项类型（可选：{'、'.join(FLAG_KINDS)}）")
            elif (points := self.number(deduct_table, kind, "flags.deduct", low=0, high=100)) is not None:
                deduct[kind] = float(points)
        return Flags(self.texts(t, "veto", "flags", FLAG_KINDS), MappingProxyType(deduct), **quality)

    def robustness(self, data: dict) -> Robustness:
        t = self.table(data, "robustness", "robustness", ("draws", "weight_factor", "normalisations", "seed"))
        factor = t.get("weight_factor")
        low = high = None
        if factor is not None:
            ok = (isinstance(factor, list) and len(factor) == 2
                  and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in factor)
                  and 0 < factor[0] <= factor[1])
            if ok:
                low, high = float(factor[0]), float(factor[1])
            else:
                self.fail("robustness.weight_factor", f"应为 [下限, 上限]，且 0 < 下限 ≤ 上限，实际为 {factor!r}")
        return Robustness(self.number(t, "draws", "robustness", integer=True, low=1, high=100_000), low, high,
                          self.texts(t, "normalisations", "robustness", ALTERNATIVES, nonempty=True),
                          self.number(t, "seed", "robustness", integer=True, low=0, high=2**63 - 1))
