"""The policy as data: the numbers of R1–R11 in one versioned TOML file (POLICY.md).

`load_policy()` reads `scoring/policies/default.toml`, `load_policy(path)` another file
and `load_policy(text)` TOML text, checks every key and returns a frozen `Policy`: the
eligibility threshold, subsidy shares, rate points and caps, the guarantee and insurance
rules, the execution period, the city/district share of the payment queue, the
re-lending credit line and the "3个1" time limits. A revision of the policy changes the
file, not code; every sentence a user reads about these rules (reason labels, captions,
stage names) is written from the `Policy` (`reason_labels`, `stage_labels`,
`subsidy_summary`), so no Chinese text can go stale. Stored evaluation runs and subsidy
computations keep `Policy.text` and `Policy.sha256`.

Numbers are read exactly: TOML floats become `decimal.Decimal` (0.5 is one half, not a
binary fraction), money is yuan with at most two decimals, a rate has at most six
decimals (the SQL binds it in millionths). Every problem is reported at once, each naming
its key in Chinese ("caps.loan：…"); every key is required and unknown keys are errors.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from scoring import tomlfile
from scoring.money import ratio, to_fen

DEFAULT_POLICY = Path(__file__).resolve().parent / "policies" / "default.toml"

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


class PolicyError(tomlfile.SettingsError):
    """A policy file that cannot be used; `problems` lists each one, naming its key."""

    title = "政策参数文件有误"


@dataclass(frozen=True)
class Policy:
    """The policy's numbers (R1–R11). Money in yuan and rates/shares as exact Decimals."""

    id: str
    version: str
    name: str
    document: str  # the notice's number, 渝经信规范〔2024〕11号
    issued: date
    start: date  # first day a payment can be subsidised
    end: date  # last day of the policy period
    min_investment: Decimal  # R1: investment excluding land at least this
    loan_rate_share: Decimal  # R2: share of the loan rate subsidised …
    lease_rate_share: Decimal  # R3: … of a lease's rent interest
    rate_points: Decimal  # R2, R3: at most this many points a year
    loan_cap: Decimal  # R4: per project and year
    lease_cap: Decimal
    guarantee_fee_rate_max: Decimal  # R5
    guarantee_share: Decimal
    guarantee_cap: Decimal  # per project over its life
    insurance_share: Decimal  # R6
    first_set_rate_max: Decimal
    first_set_cap: Decimal
    software_cap: Decimal
    cost_loss_cap: Decimal
    city_share: Decimal  # R7: the city's part of each claim, the district pays the rest
    credit_line_max: Decimal  # R8: 单户授信 below this
    connect_working_days: int  # R10: connect within this many working days
    week_working_days: int  # R10: "one week" in working days …
    week_calendar_days: int  # … or in calendar days (method setting sla.week)
    at_risk_working_days: int  # R10: at risk with this many working days left or fewer
    text: str
    sha256: str

    def subsidy_params(self, year: int) -> dict:
        """Named SQL parameters of the subsidy queries: money in integer fen, rates in
        millionths, shares as fractions; the refusal codes and their sentences as two lists, which a
        listing looks a text up in without a join (subsidy/payment_detail: a join does not keep the
        order of the rows it reads)."""
        loan_num, loan_den = ratio(self.loan_rate_share)
        lease_num, lease_den = ratio(self.lease_rate_share)
        guarantee_num, guarantee_den = ratio(self.guarantee_share)
        insurance_num, insurance_den = ratio(self.insurance_share)
        first_set_num, first_set_den = ratio(self.first_set_rate_max)
        reasons = self.reason_labels()
        return {
            "year": int(year),
            "policy_start": self.start,
            "policy_end": self.end,
            "min_investment": self.min_investment,
            "loan_share_num": loan_num,
            "loan_share_den": loan_den,
            "lease_share_num": lease_num,
            "lease_share_den": lease_den,
            "rate_points_micro": micro(self.rate_points),
            "loan_cap_fen": to_fen(self.loan_cap),
            "lease_cap_fen": to_fen(self.lease_cap),
            "guarantee_fee_rate_max": self.guarantee_fee_rate_max,
            "guarantee_share_num": guarantee_num,
            "guarantee_share_den": guarantee_den,
            "guarantee_cap_fen": to_fen(self.guarantee_cap),
            "insurance_share_num": insurance_num,
            "insurance_share_den": insurance_den,
            "first_set_rate_num": first_set_num,
            "first_set_rate_den": first_set_den,
            "first_set_cap_fen": to_fen(self.first_set_cap),
            "software_cap_fen": to_fen(self.software_cap),
            "cost_loss_cap_fen": to_fen(self.cost_loss_cap),
            "agri_small_credit_max": self.credit_line_max,
            "reason_codes": list(reasons),
            "reason_texts": list(reasons.values()),
        }

    @property
    def sla_params(self) -> dict:
        """Named SQL parameters of the "3个1" stage query (R10)."""
        return {"connect_days": self.connect_working_days, "week_days": self.week_working_days,
                "calendar_week_days": self.week_calendar_days, "at_risk_days": self.at_risk_working_days}

    # -- the rule sentences users read ---------------------------------------------------

    def reason_labels(self) -> dict[str, str]:
        """Refusal and data-error codes (R1, R5, R6, R8) → the Chinese sentence shown with them."""
        credit = yuan_words(self.credit_line_max)
        return {
            # R1 eligibility of a loan's payment or guarantee fee
            "unknown_loan": "贷款（租赁）编号不存在",
            "unknown_project": "技改项目不存在",
            "project_of_other_enterprise": "项目不属于该借款企业",
            "lender_not_bank": "技改专项贷的发放机构不是银行",
            "lender_not_leasing": "融资租赁的出租人不是融资租赁机构",
            "outside_policy_period": "不在本政策执行期内",
            "not_manufacturing": "非制造业企业",
            "not_filed": "项目未完成技改备案",
            "not_pooled": "付款时项目尚未入库",
            "below_threshold": f"项目投资额（不含土地）低于{yuan_words(self.min_investment)}",
            "land_portion": "贷款全部用于土地，土地部分不贴息",
            # R5 guarantee reward
            "guarantor_not_guarantee_firm": "担保方不是融资担保机构",
            "fee_rate_above_1pct": f"年化担保费率超过{percent_words(self.guarantee_fee_rate_max)}",
            # R6 insurance
            "no_project": "未关联技改项目",
            "no_insured_amount": f"未报送保险金额，无法核定{percent_words(self.first_set_rate_max)}费率上限",
            # R8 re-lending
            "lender_not_local": "放款机构不是地方法人金融机构",
            "borrower_not_eligible": f"借款企业不是涉农企业、小微企业或单户授信{credit}以下的民营企业",
            "credit_line_missing": f"民营企业未报送单户授信总额，无法核实是否低于{credit}",
        }

    def stage_labels(self) -> dict[str, str]:
        """The three "3个1" stages (R10) with their time limits."""
        return {"connect": f"对接（{self.connect_working_days}个工作日）", "approve": "方案设计和报批（1周）",
                "disburse": "贷款发放（1周）"}

    def week_text(self, week: str) -> str:
        """What "1周" means under the method's `sla.week` setting."""
        if week == "calendar":
            return f"{self.week_calendar_days}个自然日，届满日遇休息日顺延"
        return f"{self.week_working_days}个工作日"

    def time_limits(self, week: str) -> str:
        """The "3个1" (R10) in one sentence, "1周" as the method's `sla.week` counts it."""
        return (f"{self.connect_working_days}个工作日对接、1周（{self.week_text(week)}）完成方案设计和报批、"
                "1周完成贷款发放（R10）")

    def interest_summary(self) -> str:
        """R2–R4 in one sentence, as a page caption says it."""
        return (f"贷款按实际利率的{percent_words(self.loan_rate_share)}、最高{points_words(self.rate_points)}贴息，"
                f"融资租赁贴息{points_words(self.rate_points)}"
                + ("" if self.lease_rate_share >= 1 else f"（不超过租息的{percent_words(self.lease_rate_share)}）")
                + f"，单个项目每年分别封顶{yuan_words(self.loan_cap)}、{yuan_words(self.lease_cap)}")

    def refusal_examples(self) -> str:
        """The commonest R1 refusals, for a help text."""
        return f"未备案、未入库、投资额不足{yuan_words(self.min_investment)}、非制造业等（R1）"

    def facts(self) -> dict[str, str]:
        """What the policy is, one fact a line (for the workbooks and the 通报)."""
        return {"政策文件": f"{self.name}（{self.document}）", "政策参数版本": f"{self.id} {self.version}",
                "政策参数 SHA-256": self.sha256, "政策执行期": f"{self.start.isoformat()} 至 {self.end.isoformat()}"}


def micro(rate: Decimal) -> int:
    """A rate in millionths, refusing one that DECIMAL(9,6) could not hold exactly."""
    value = rate * 1_000_000
    if value != value.to_integral_value():
        raise ValueError(f"利率最多六位小数：{rate}")
    return int(value)


def yuan_words(amount: Decimal) -> str:
    """An amount as a rule states it: 100万元, 3000万元, 2亿元 (whole units), else yuan."""
    amount = Decimal(amount)
    for unit, word in ((YI, "亿元"), (WAN, "万元")):
        if amount >= unit and amount % unit == 0:
            return f"{amount // unit}{word}"
    return f"{_plain(amount)}元"


def percent_words(share: Decimal) -> str:
    """A share as a percentage: 0.5 → 50%, 0.035 → 3.5%."""
    return f"{_plain(Decimal(share) * 100)}%"


def points_words(rate: Decimal) -> str:
    """A rate as percentage points: 0.02 → 2个百分点."""
    return f"{_plain(Decimal(rate) * 100)}个百分点"


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 50, 3.5."""
    text = format(value.normalize(), "f")
    return text


def load_policy(source: str | Path | None = None) -> Policy:
    """The policy in `source`: None = the default file, a Path or path string = that file, else TOML text."""
    return tomlfile.load(source, default=DEFAULT_POLICY, error=PolicyError, what="政策参数文件", build=_build,
                         parse_float=Decimal)  # exact numbers: no binary float between the file and a yuan


# (section, key, Policy field, kind). Kinds: text, date, yuan (> 0, whole fen), share
# (0 < x ≤ 1), share0 (0 ≤ x ≤ 1), rate (0 < x < 1, at most six decimals), days (whole, ≥ 1).
FIELDS = (
    ("policy", "id", "id", "text"),
    ("policy", "version", "version", "text"),
    ("policy", "name", "name", "text"),
    ("policy", "document", "document", "text"),
    ("policy", "issued", "issued", "date"),
    ("period", "start", "start", "date"),
    ("period", "end", "end", "date"),
    ("eligibility", "min_investment", "min_investment", "yuan"),
    ("interest", "loan_rate_share", "loan_rate_share", "share"),
    ("interest", "lease_rate_share", "lease_rate_share", "share"),
    ("interest", "rate_points", "rate_points", "rate"),
    ("caps", "loan", "loan_cap", "yuan"),
    ("caps", "lease", "lease_cap", "yuan"),
    ("guarantee", "fee_rate_max", "guarantee_fee_rate_max", "rate"),
    ("guarantee", "share", "guarantee_share", "share"),
    ("guarantee", "cap", "guarantee_cap", "yuan"),
    ("insurance", "share", "insurance_share", "share"),
    ("insurance", "first_set_rate_max", "first_set_rate_max", "rate"),
    ("insurance", "first_set_cap", "first_set_cap", "yuan"),
    ("insurance", "software_cap", "software_cap", "yuan"),
    ("insurance", "cost_loss_cap", "cost_loss_cap", "yuan"),
    ("queue", "city_share", "city_share", "share0"),
    ("relending", "credit_line_max", "credit_line_max", "yuan"),
    ("sla", "connect_working_days", "connect_working_days", "days"),
    ("sla", "week_working_days", "week_working_days", "days"),
    ("sla", "week_calendar_days", "week_calendar_days", "days"),
    ("sla", "at_risk_working_days", "at_risk_working_days", "days"),
)
SECTIONS = tuple(dict.fromkeys(section for section, *_ in FIELDS))


def _build(data: dict, text: str) -> Policy:
    problems: list[str] = []
    for section in data:
        if section not in SECTIONS:
            problems.append(f"{section}：未知配置节（可用：{'、'.join(SECTIONS)}）")
    values = {}
    for section in SECTIONS:
        table = data.get(section)
        if not isinstance(table, dict):
            problems.append(f"{section}：{'缺少此节' if table is None else f'应为表（键 = 值 的集合），实际为 {table!r}'}")
            continue
        keys = [key for s, key, *_ in FIELDS if s == section]
        problems += [f"{section}.{key}：未知配置项（可用：{'、'.join(keys)}）" for key in table if key not in keys]
        for s, key, field, kind in FIELDS:
            if s == section:
                value, problem = _read(table.get(key), kind)
                if problem:
                    problems.append(f"{section}.{key}：{problem}")
                else:
                    values[field] = value
    if "start" in values and "end" in values and not values["start"] < values["end"]:
        problems.append(f"period.end：应晚于 period.start（{values['start']}），实际为 {values['end']}")
    if problems:
        raise PolicyError(problems)
    return Policy(**values, text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def _read(value, kind: str):
    """(the value as the Policy holds it, None) or (None, the problem in Chinese)."""
    if value is None:
        return None, "缺少此项"
    if kind == "text":
        return (value, None) if isinstance(value, str) and value.strip() else (None, f"应为非空文字，实际为 {value!r}")
    if kind == "date":
        ok = isinstance(value, date) and not hasattr(value, "hour")
        return (value, None) if ok else (None, f"应为日期（如 2024-06-09，不加引号），实际为 {value!r}")
    if kind == "days":
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 31
        return (value, None) if ok else (None, f"应为 1–31 之间的整数（天数），实际为 {value!r}")
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None, f"应为数值，实际为 {value!r}"
    number = Decimal(value)
    checks = {
        "yuan": (number > 0 and number == number.quantize(Decimal("0.01")), "应为大于 0 的金额（元，最多两位小数）"),
        "share": (0 < number <= 1, "应为大于 0、不超过 1 的比例（0.5 表示 50%）"),
        "share0": (0 <= number <= 1, "应为 0 到 1 之间的比例（1 表示 100%）"),
        "rate": (0 < number < 1 and number * 1_000_000 == (number * 1_000_000).to_integral_value(),
                 "应为大于 0、小于 1 的利率，最多六位小数（0.02 表示 2%）"),
    }
    ok, message = checks[kind]
    return (number, None) if ok else (None, f"{message}，实际为 {value!r}")
