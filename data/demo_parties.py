"""Demo institutions and enterprises.

Institutions come from `reference/demo_institutions.csv`: public names for the big,
policy and joint-stock banks' Chongqing branches and the city's legal-person banks,
fictional names for village banks, leasing and guarantee firms. Besides the contract
columns the file carries the demo's behaviour of each institution:

- tier: the peer tier (`scoring.contract.TIERS`; the contract's `tier` column for banks and leasing
  companies), guarantee / insurer for the others
- weight: share of applications (a village bank: share of its own `area` district's)
- speed: fast / normal / slow, how often it meets the "3个1" limits (R10)
- spread_bp: usual rate over the LPR; fee_bp: a guarantor's usual annual fee rate
- simplified: how often it uses simplified review on eligible cases (R11)
- cooperation: the years whose cooperating list (揭榜 call) includes it

Enterprises are drawn over the 41 units by `reference/demo_district_weights.csv`
(where manufacturing really is), with names from `reference/demo_name_parts.csv` and
valid unified social credit codes (GB 32100-2015).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from data.demo_kit import by_group, concat, join_present, normalised, pick, reference, weighted
from scoring import creditcode
from scoring.contract import TAGS

SIZES = ("large", "medium", "small", "micro")
OWNERSHIPS = ("state", "private", "foreign", "other")
OWNERSHIP_BY_SIZE = (  # state, private, foreign, other
    (0.35, 0.45, 0.15, 0.05),
    (0.10, 0.75, 0.08, 0.07),
    (0.04, 0.86, 0.03, 0.07),
    (0.02, 0.90, 0.01, 0.07),
)
SIZE_SHARES = (0.06, 0.24, 0.52, 0.18)
# Chance of each tag by size (large, medium, small, micro): 专精特新 is common among
# small and medium firms, 小巨人 are rare, 白名单 favours large firms.
TAG_CHANCE = {
    "potential_unicorn": (0.01, 0.008, 0.003, 0.0),
    "gazelle": (0.01, 0.05, 0.03, 0.01),
    "specialized": (0.05, 0.22, 0.17, 0.06),
    "little_giant": (0.03, 0.06, 0.02, 0.0),
    "whitelist": (0.40, 0.20, 0.08, 0.03),
}
UNICORNS_PER_FIRM = 0.001  # a handful, always at least one: drawn as a count, not firm by firm
UNICORN_WEIGHT_BY_SIZE = (10.0, 1.0, 0.0, 0.0)
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司", "（集团）有限公司")
SUFFIX_BY_SIZE = ((0.35, 0.05, 0.40, 0.20), (0.70, 0.10, 0.20, 0.0), (0.88, 0.12, 0.0, 0.0), (0.90, 0.10, 0.0, 0.0))
# Registration authority (positions 3–8 of the credit code) of the functional zones,
# whose firms are registered by the city or by the district the zone lies in.
REGISTRATION_AREA = {"500191": "500000", "500192": "500106", "500193": "500110"}
MODERN_CODE_SHARE = (0.25, 0.45, 0.60, 0.75)  # firms registered after 2015 get 'MA…' codes
GB11714_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])


def institutions() -> pd.DataFrame:
    """The demo institutions with their behaviour columns (see the module docstring)."""
    frame = reference("demo_institutions.csv")
    for column in ("weight", "spread_bp", "fee_bp", "simplified"):
        frame[column] = pd.to_numeric(frame[column].replace("", "0"))
    return frame


def institution_rows(insts: pd.DataFrame) -> dict:
    """The `institutions` table columns (paid-in capital is whole yuan in the file)."""
    capital = pd.to_numeric(insts["paid_in_capital"].replace("", None)).to_numpy()
    present = ~np.isnan(capital)
    return {
        "inst_id": insts["inst_id"].to_numpy(str),
        "name": insts["name"].to_numpy(str),
        "kind": insts["kind"].to_numpy(str),
        "local_legal_person": insts["local_legal_person"].eq("true").to_numpy(),
        "paid_in_capital_fen": pa.array(np.nan_to_num(capital).astype(np.int64) * 100, mask=~present),
        "tier": pa.array(insts["tier"].to_numpy(str), mask=~insts["kind"].isin(["bank", "leasing"]).to_numpy()),
    }


@dataclass(frozen=True)
class Enterprises:
    """Demo enterprises as columns; codes index SIZES, OWNERSHIPS and the name parts."""

    ent_id: np.ndarray  # str, credit codes
    name: pa.Array
    district: np.ndarray  # str district codes
    size: np.ndarray
    ownership: np.ndarray
    manufacturing: np.ndarray
    agricultural: np.ndarray
    equipment_maker: np.ndarray
    tags: dict  # tag -> bool array

    def __len__(self) -> int:
        return len(self.ent_id)

    def tagged(self, *names: str) -> np.ndarray:
        return np.logical_or.reduce([self.tags[t] for t in names])

    def rows(self) -> dict:
        return {
            "ent_id": self.ent_id,
            "name": self.name,
            "district_code": self.district,
            "size": pick(SIZES, self.size),
            "ownership": pick(OWNERSHIPS, self.ownership),
            "manufacturing": self.manufacturing,
            "agricultural": self.agricultural,
            "tags": join_present([(t, self.tags[t]) for t in TAGS], ";"),
        }


def district_weights() -> tuple[np.ndarray, np.ndarray]:
    """District codes and their relative weight in manufacturing."""
    frame = reference("demo_district_weights.csv")
    return frame["district_code"].to_numpy(str), frame["weight"].astype(float).to_numpy()


def enterprises(rng: np.random.Generator, n: int) -> Enterprises:
    codes, weights = district_weights()
    district = codes[weighted(rng, n, weights)]
    size = weighted(rng, n, SIZE_SHARES)
    ownership = by_group(rng, size, OWNERSHIP_BY_SIZE)
    name, trait = company_names(rng, size)
    agricultural = ((trait == "agri") & (rng.random(n) < 0.7)) | (rng.random(n) < 0.01)
    tags = {tag: rng.random(n) < np.asarray(chance)[size] for tag, chance in TAG_CHANCE.items()}
    tags["specialized"] |= tags["little_giant"]  # a 小巨人 is a 专精特新 firm first
    tags["unicorn"] = np.zeros(n, bool)
    tags["unicorn"][rng.choice(n, max(1, round(n * UNICORNS_PER_FIRM)), replace=False,
                               p=normalised(np.asarray(UNICORN_WEIGHT_BY_SIZE)[size]))] = True
    return Enterprises(
        ent_id=credit_codes(rng, registration_areas(rng, district, size), rng.random(n) < np.asarray(MODERN_CODE_SHARE)[size]),
        name=name,
        district=district,
        size=size,
        ownership=ownership,
        manufacturing=rng.random(n) >= 0.02,  # a few non-manufacturers, refused under R1
        agricultural=agricultural,
        equipment_maker=trait == "equipment",
        tags=tags,
    )


def company_names(rng: np.random.Generator, size: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """'重庆' + a two-character trade name + trade + legal form, distinct while the parts last."""
    parts = reference("demo_name_parts.csv")
    heads = parts.loc[parts["part"] == "head", "word"].to_numpy(str)
    tails = parts.loc[parts["part"] == "tail", "word"].to_numpy(str)
    trades = parts.loc[parts["part"] == "trade"]
    space = len(heads) * len(tails) * len(trades)
    n = len(size)
    combo = rng.choice(space, size=n, replace=n > space)
    head, rest = np.divmod(combo, len(tails) * len(trades))
    tail, trade = np.divmod(rest, len(trades))
    suffix = by_group(rng, size, SUFFIX_BY_SIZE)
    name = concat(
        "重庆", pick(heads, head), pick(tails, tail), pick(trades["word"], trade), pick(SUFFIXES, suffix),
    )
    return name, trades["trait"].to_numpy(str)[trade]


def registration_areas(rng: np.random.Generator, district: np.ndarray, size: np.ndarray) -> np.ndarray:
    """The 6-digit area of the registering authority: the district's, the zone's, or the city's."""
    area = pd.Series(district).replace(REGISTRATION_AREA).to_numpy(str)
    city_registered = (size == 0) & (rng.random(len(size)) < 0.4)  # many large firms registered with the city
    return np.where(city_registered, "500000", area)


def credit_codes(rng: np.random.Generator, areas: np.ndarray, modern: np.ndarray) -> np.ndarray:
    """Distinct valid codes '91' + area + organisation code (GB 11714, own check) + check (GB 32100).

    Older firms keep their 8-digit organisation code; firms registered since 2015 have
    'MA' + six code characters. Both bodies are drawn without replacement, so codes are
    unique.
    """
    n = len(areas)
    body = np.empty((n, 8), dtype="<U1")
    old = ~modern
    body[old] = to_symbols(rng.choice(10**8, size=old.sum(), replace=False), "0123456789", 8)
    body[modern, 0], body[modern, 1] = "M", "A"
    body[modern, 2:] = to_symbols(rng.choice(31**6, size=modern.sum(), replace=False), creditcode.ALPHABET, 6)
    first17 = np.concatenate(
        [np.full((n, 2), ["9", "1"]), np.asarray(areas, "<U6").view("<U1").reshape(n, 6), body, organisation_check(body)[:, None]],
        axis=1,
    )
    return np.concatenate([first17, credit_check(first17)[:, None]], axis=1).view("<U18").ravel()


def to_symbols(numbers: np.ndarray, alphabet: str, width: int) -> np.ndarray:
    """Integers written in base len(alphabet) with `width` symbols, as a (n, width) char array."""
    powers = len(alphabet) ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return np.asarray(list(alphabet))[(numbers[:, None] // powers) % len(alphabet)]


def organisation_check(body: np.ndarray) -> np.ndarray:
    """GB 11714 check character of 8-character organisation codes (digits 0–9, letters A=10…)."""
    points = body.view(np.uint32).reshape(body.shape).astype(np.int64)
    values = np.where(points <= ord("9"), points - ord("0"), points - ord("A") + 10)
    check = (11 - (values * GB11714_WEIGHTS).sum(axis=1) % 11) % 11
    return np.asarray(list("0123456789X"))[check]


def credit_check(first17: np.ndarray) -> np.ndarray:
    """GB 32100 check character, the same sum as `scoring.creditcode.check_character`."""
    value = np.full(128, -1)
    value[[ord(ch) for ch in creditcode.ALPHABET]] = np.arange(len(creditcode.ALPHABET))
    total = (value[first17.view(np.uint32).reshape(first17.shape)] * np.asarray(creditcode.WEIGHTS)).sum(axis=1)
    return np.asarray(list(creditcode.ALPHABET))[(31 - total % 31) % 31]
