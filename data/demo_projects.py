"""Demo technical-transformation projects (技改项目): size, land, flags, filing and pooling.

Investments are lognormal around a median that grows with the firm's size, so a few
small projects fall below the 1,000,000-yuan line of R1 and a few reach hundreds of
millions. Filing (技改备案) and pooling (入库) dates are set after the applications and
loans are known: a project is filed some weeks before its first financing, and some
projects are never filed or pooled, so every R1 refusal reason appears in the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from data.demo_kit import FEN_PER_YUAN, WorkDays, concat, digits, pick, text_column, to_fen, weighted
from data.demo_parties import Enterprises

CATEGORIES = ("smart", "green", "digital", "other")
CATEGORY_LABELS = ("智能化改造", "绿色化改造", "数字化转型", "技术改造")
CATEGORY_IF_GREEN = (0.15, 0.75, 0.05, 0.05)
CATEGORY_OTHERWISE = (0.42, 0.03, 0.30, 0.25)
PROJECTS_PER_FIRM_BY_SIZE = (5.0, 2.5, 1.0, 0.5)  # relative chance that a project is this firm's
MEDIAN_INVESTMENT_BY_SIZE = (60e6, 20e6, 6e6, 2.5e6)  # yuan
INVESTMENT_SIGMA = 1.0
INVESTMENT_RANGE = (200_000, 3_000_000_000)  # yuan
LAND_SHARE = 0.12  # projects that buy land; its cost is never subsidised (R1, R2)
LAND_PART = (0.05, 0.35)  # of the investment
GREEN_SHARE, EQUIPMENT_ONLY_SHARE = 0.2, 0.3  # the flags that allow simplified review (R11)
ELSEWHERE = 0.03  # projects in a plant outside the firm's own district
NOT_FILED = {"financed": 0.04, "unfinanced": 0.12}
POOLED = {"financed": 0.92, "unfinanced": 0.75}  # of filed projects, those entering the reserve pool (maybe after financing)
FILING_LEAD_DAYS = (15, 300)  # a project is filed this many days before its first financing
POOLING_LAG_DAYS = (5, 150)


@dataclass(frozen=True)
class Projects:
    ent: np.ndarray  # index into Enterprises
    district: np.ndarray
    investment_fen: np.ndarray
    land_fen: np.ndarray
    green: np.ndarray
    equipment_only: np.ndarray
    category: np.ndarray  # index into CATEGORIES

    def __len__(self) -> int:
        return len(self.ent)

    def pick(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n project indices; bigger projects draw more financing (weight √investment)."""
        return weighted(rng, n, np.sqrt(self.investment_fen.astype(float)))


def projects(rng: np.random.Generator, ents: Enterprises, n: int, district_weights) -> Projects:
    ent = weighted(rng, n, np.asarray(PROJECTS_PER_FIRM_BY_SIZE)[ents.size])
    size = ents.size[ent]
    investment = rng.lognormal(np.log(np.asarray(MEDIAN_INVESTMENT_BY_SIZE)[size]), INVESTMENT_SIGMA)
    investment_fen = to_fen(np.clip(investment, *INVESTMENT_RANGE), 1_000)
    land_yuan = investment_fen / FEN_PER_YUAN * rng.uniform(*LAND_PART, n)
    land_fen = np.where(rng.random(n) < LAND_SHARE, to_fen(land_yuan, 1_000), 0)
    green = rng.random(n) < GREEN_SHARE
    category = np.where(
        green,
        weighted(rng, n, CATEGORY_IF_GREEN),
        weighted(rng, n, CATEGORY_OTHERWISE),
    )
    codes, weights = district_weights
    district = np.where(rng.random(n) < ELSEWHERE, codes[weighted(rng, n, weights)], ents.district[ent])
    return Projects(ent, district, investment_fen, land_fen, green, rng.random(n) < EQUIPMENT_ONLY_SHARE, category)


def filing_and_pooling(
    rng: np.random.Generator, cal: WorkDays, first_financing: np.ndarray, start: np.datetime64, until: np.datetime64
) -> tuple[np.ndarray, np.ndarray]:
    """filed_on and pooled_on (NaT when not done) from each project's first financing day.

    A project never financed gets a filing day spread over the year before `start`
    until a month before `until`.
    """
    n = len(first_financing)
    financed = ~np.isnat(first_financing)
    span = int((until - start) / np.timedelta64(1, "D")) + 335
    anchor = np.where(financed, first_financing, start - 365 + rng.integers(0, span, n))
    filed = cal.on_or_before(anchor - rng.integers(*FILING_LEAD_DAYS, n, endpoint=True))
    not_filed = rng.random(n) < np.where(financed, NOT_FILED["financed"], NOT_FILED["unfinanced"])
    filed = np.where(not_filed, np.datetime64("NaT"), filed)
    pooled = cal.on_or_before(np.where(not_filed, anchor, filed) + rng.integers(*POOLING_LAG_DAYS, n, endpoint=True))
    never_pooled = rng.random(n) >= np.where(financed, POOLED["financed"], POOLED["unfinanced"])
    pooled = np.where(not_filed | never_pooled | (pooled > until), np.datetime64("NaT"), pooled)
    return filed, pooled


def project_rows(
    rng: np.random.Generator, p: Projects, project_ids: pa.Array, ents: Enterprises, filed: np.ndarray, pooled: np.ndarray
) -> dict:
    """The `projects` table; filing numbers follow the online filing platform's pattern
    YYMM-区划-07-02-序号 (07 technical transformation, 02 filing)."""
    has_filing = ~np.isnat(filed)
    serial = digits(rng.permutation(len(p)), 6)
    month = np.where(has_filing, filed, np.datetime64("2000-01-01")).astype("datetime64[M]").astype(np.int64)
    yymm = digits((month // 12 + 1970) % 100 * 100 + month % 12 + 1, 4)  # months since 1970-01 → "YYMM"
    district = text_column(p.district)
    filing_no = concat(yymm, "-", district, "-07-02-", serial)
    return {
        "project_id": project_ids,
        "ent_id": ents.ent_id[p.ent],
        "district_code": district,
        "filing_no": pc.if_else(pa.array(has_filing), filing_no, pa.scalar(None, pa.string())),
        "filed_on": filed,
        "pooled_on": pooled,
        "total_investment_fen": p.investment_fen,
        "land_cost_fen": p.land_fen,
        "green": p.green,
        "equipment_only": p.equipment_only,
        "category": pick(CATEGORIES, p.category),
    }


def first_day(project: np.ndarray, days: np.ndarray, n_projects: int) -> np.ndarray:
    """The earliest of `days` per project index (NaT for a project without any); -1 = none."""
    stamp = days.astype("datetime64[D]").astype(np.int64)
    earliest = np.full(n_projects, np.iinfo(np.int64).max)
    has = project >= 0
    np.minimum.at(earliest, project[has], stamp[has])
    return np.where(earliest == np.iinfo(np.int64).max, np.datetime64("NaT"), earliest.astype("datetime64[D]"))

