"""The indicator registry: one record per indicator, as COINr's iMeta (R12, R16).

`scoring/methods/indicators.toml` holds, for every indicator, its id, Chinese name, subject
(institution or district), unit, direction, the query that computes it and its parts. The
method file chooses among these indicators and weights them; everything that needs to know
what an indicator *is* reads its record here: the method's validation (known ids and the
groups each may be weighted in), the indicator queries run, the result's columns and whole
numbers, the stored run, the units pages show. A new indicator is a record and a `.sql` file.

`load_registry()` reads the default file, `load_registry(text_or_path)` another; problems
are reported at once, each naming its key in Chinese.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_REGISTRY = Path(__file__).resolve().parent / "methods" / "indicators.toml"
SUBJECTS = ("institution", "district")
DIRECTIONS = ("higher", "lower")
MEASURES = ("raw", "norm", "contrib")  # per indicator in a wide table: raw value, normalised 0–100, points


class RegistryError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("指标目录有误：\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Part:
    id: str  # V3_enterprises
    name: str
    count: bool


@dataclass(frozen=True)
class IndicatorMeta:
    id: str
    subject: str  # institution | district
    name: str
    unit: str  # yi | percent | a unit word
    direction: str  # higher | lower
    query: str  # the queries/ file that computes it, e.g. indicators/volume
    count: bool  # whole numbers
    parts: tuple[Part, ...]
    qualitative: bool = False  # scored 0–100 by people: self-assessed, reviewed (issue 15 §3)
    guidance: str = ""  # how to score a qualitative indicator, in Chinese


@dataclass(frozen=True)
class Registry:
    records: tuple[IndicatorMeta, ...]
    text: str

    def get(self, indicator_id: str) -> IndicatorMeta:
        return next(r for r in self.records if r.id == indicator_id)

    def ids(self, subject: str) -> tuple[str, ...]:
        return tuple(r.id for r in self.records if r.subject == subject)

    def parts(self, subject: str) -> dict[str, str]:
        """part id → Chinese name, for the subject's indicators in file order."""
        return {p.id: p.name for r in self.records if r.subject == subject for p in r.parts}

    def queries(self, subject: str) -> tuple[str, ...]:
        """The distinct queries that compute the subject's indicators, in file order."""
        return tuple(dict.fromkeys(r.query for r in self.records if r.subject == subject))

    def counts(self) -> tuple[str, ...]:
        """Wide columns that hold whole numbers: `<id>_raw` of count indicators, count parts."""
        return tuple([f"{r.id}_raw" for r in self.records if r.count]
                     + [p.id for r in self.records for p in r.parts if p.count])

    def columns(self, subject: str) -> list[str]:
        """`<id>_raw`, `<id>_norm`, `<id>_contrib` per indicator, then the parts they are built from."""
        return [f"{i}_{m}" for i in self.ids(subject) for m in MEASURES] + list(self.parts(subject))

    def used_by(self, ids: set[str]) -> Registry:
        """This registry without the qualitative indicators not in `ids`: a method that weights none
        of them evaluates, stores and writes exactly what it did before they existed."""
        kept = tuple(r for r in self.records if not r.qualitative or r.id in ids)
        return self if len(kept) == len(self.records) else Registry(kept, self.text)

    def unit(self, indicator_id: str) -> str:
        return next((r.unit for r in self.records if r.id == indicator_id), "")


def load_registry(source: str | Path | None = None) -> Registry:
    """The registry in `source`: None = the default file, a Path = that file, else TOML text."""
    if source is None:
        source = DEFAULT_REGISTRY
    if isinstance(source, Path):
        if not source.is_file():
            raise RegistryError([f"找不到指标目录文件：{source}"])
        source = source.read_text(encoding="utf-8")
    return _from_text(source)


KEYS = ("subject", "name", "unit", "direction", "query", "count", "parts", "qualitative", "guidance")


@lru_cache(maxsize=8)
def _from_text(text: str) -> Registry:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RegistryError([f"不是合法的 TOML 文件：{error}"]) from None
    problems: list[str] = []
    records = [_record(ind_id, spec, problems) for ind_id, spec in data.items()]
    parts = [p.id for r in records if r for p in r.parts]
    ids = [r.id for r in records if r]
    clashes = sorted({p for p in parts if parts.count(p) > 1 or p in ids})
    if clashes:
        problems.append(f"parts：组成部分编号重复或与指标编号相同：{'、'.join(clashes)}")
    if problems:
        raise RegistryError(problems)
    return Registry(tuple(records), text)


def _record(ind_id: str, spec, problems: list[str]) -> IndicatorMeta | None:
    if not isinstance(spec, dict):
        problems.append(f"{ind_id}：应为表（键 = 值 的集合），实际为 {spec!r}")
        return None
    count = len(problems)
    problems += [f"{ind_id}.{key}：未知配置项（可用：{'、'.join(KEYS)}）" for key in spec if key not in KEYS]
    text = {}
    for key, choices in (("subject", SUBJECTS), ("name", None), ("unit", None), ("direction", DIRECTIONS),
                         ("query", None)):
        value = spec.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{ind_id}.{key}：{'缺少此项' if value is None else f'应为非空文字，实际为 {value!r}'}")
        elif choices and value not in choices:
            problems.append(f"{ind_id}.{key}：应为 {' / '.join(choices)} 之一，实际为 {value!r}")
        text[key] = value
    parts = []
    for part_id, part in spec.get("parts", {}).items():
        if not (isinstance(part, dict) and isinstance(part.get("name"), str) and set(part) <= {"name", "count"}
                and isinstance(part.get("count", False), bool)):
            problems.append(f"{ind_id}.parts.{part_id}：应为 {{ name = 中文名称, count = true/false }}，实际为 {part!r}")
            continue
        parts.append(Part(part_id, part["name"], part.get("count", False)))
    for flag in ("count", "qualitative"):
        if not isinstance(spec.get(flag, False), bool):
            problems.append(f"{ind_id}.{flag}：应为 true 或 false，实际为 {spec[flag]!r}")
    if spec.get("qualitative") and not (isinstance(spec.get("guidance"), str) and spec["guidance"].strip()):
        problems.append(f"{ind_id}.guidance：定性指标须写明中文评分指引")
    if len(problems) > count:
        return None
    return IndicatorMeta(ind_id, text["subject"], text["name"], text["unit"], text["direction"], text["query"],
                         spec.get("count", False), tuple(parts), spec.get("qualitative", False),
                         spec.get("guidance", "").strip())
