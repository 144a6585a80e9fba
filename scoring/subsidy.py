"""Subsidies of the 技改专项贷 policy: eligibility, interest subsidies, caps, guarantee
rewards, insurance premium subsidies, the payment queue and the re-lending check (R1–R8).

Everything is computed in SQL over all rows at once (`queries/subsidy/*.sql`), in
integer fen and exact fractions, rounded half-up to the fen per payment before any cap
(R2, R3). The steps build temporary tables on a cursor of their own, so a call never
sees another call's intermediate results:

    judged_events       R1   every interest payment and guarantee fee, with its refusal reason
    payment_uncapped    R2-3 each payment's subsidy before caps
    loan_shares         R4   each loan's share of its project's capped annual total
    payment_shares      R4   that share spread back over the loan's payments
    guarantee_uncapped  R5   each guarantee fee's reward before the lifetime cap
    guarantee_shares    R5   the reward after the cap, earlier years first
    insurance_uncapped  R6   each policy's premium subsidy before the caps
    insurance_shares    R6   after the cap per product (or project) and policy year
    subsidy_items            all of the above in one shape, for the totals

The caps share a binding total in proportion to the uncapped amounts; each share is
floored to the fen and the fen left over go to the largest share (ties: smallest id),
so the shares add up to the cap exactly (`queries/subsidy/allocate.sql`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd

from scoring import engine
from scoring.access import REGULATOR, Scope
from scoring.money import ratio, to_fen

KIND_LABELS = {
    "loan": "技改专项贷贴息",
    "lease": "融资租赁贴息",
    "guarantee": "担保奖补",
    "first_set_equipment": "首台（套）保险补贴",
    "software_first_version": "软件首版次保险补贴",
    "project_cost_loss": "技改项目费用损失保险补贴",
}

REASON_LABELS = {
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
    "below_threshold": "项目投资额（不含土地）低于100万元",
    "land_portion": "贷款全部用于土地，土地部分不贴息",
    # R5 guarantee reward
    "guarantor_not_guarantee_firm": "担保方不是融资担保机构",
    "fee_rate_above_1pct": "年化担保费率超过1%",
    # R6 insurance
    "no_project": "未关联技改项目",
    "no_insured_amount": "未报送保险金额，无法核定3%费率上限",
    # R8 re-lending
    "lender_not_local": "放款机构不是地方法人金融机构",
    "borrower_not_eligible": "借款企业不是涉农企业、小微企业或单户授信3000万元以下的民营企业",
    "credit_line_missing": "民营企业未报送单户授信总额，无法核实是否低于3000万元",
}

STATUS_LABELS = {  # R7 payment queue
    "paid": "已拨付",
    "partial": "部分拨付",
    "waiting": "待拨付",
}


@dataclass(frozen=True)
class SubsidyRules:
    """The policy's numbers (R1–R8), kept together so that a revision changes data, not code.

    Rates and shares are exact decimals; a rate has at most six decimals (DECIMAL(9,6)).
    """

    policy_start: date = date(2024, 6, 9)  # 印发 2024-05-10, in force 30 days later
    policy_end: date = date(2027, 12, 31)  # 2024—2027年
    min_investment: Decimal = Decimal("1000000")  # R1 (二): 100万元（含）, land excluded
    loan_rate_share: Decimal = Decimal("0.5")  # R2 (一): 50% of the loan rate …
    lease_rate_share: Decimal = Decimal("1")  # R3 (三): never more than the rent interest
    rate_points: Decimal = Decimal("0.02")  # R2, R3: … at most 2 percentage points
    loan_cap: Decimal = Decimal("10000000")  # R4: per project and year
    lease_cap: Decimal = Decimal("5000000")
    guarantee_fee_rate_max: Decimal = Decimal("0.01")  # R5 (五)
    guarantee_share: Decimal = Decimal("0.5")
    guarantee_cap: Decimal = Decimal("1000000")  # per project over its life
    insurance_share: Decimal = Decimal("0.8")  # R6 (六)
    first_set_rate_max: Decimal = Decimal("0.03")
    first_set_cap: Decimal = Decimal("5000000")
    software_cap: Decimal = Decimal("1000000")
    cost_loss_cap: Decimal = Decimal("1000000")
    agri_small_credit_max: Decimal = Decimal("30000000")  # R8 (四): 单户授信3000万元以下

    def params(self, year: int) -> dict:
        """Named SQL parameters: money in integer fen, rates in millionths, shares as fractions."""
        loan_num, loan_den = ratio(self.loan_rate_share)
        lease_num, lease_den = ratio(self.lease_rate_share)
        guarantee_num, guarantee_den = ratio(self.guarantee_share)
        insurance_num, insurance_den = ratio(self.insurance_share)
        first_set_num, first_set_den = ratio(self.first_set_rate_max)
        return {
            "year": int(year),
            "policy_start": self.policy_start,
            "policy_end": self.policy_end,
            "min_investment": self.min_investment,
            "loan_share_num": loan_num,
            "loan_share_den": loan_den,
            "lease_share_num": lease_num,
            "lease_share_den": lease_den,
            "rate_points_micro": _micro(self.rate_points),
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
            "agri_small_credit_max": self.agri_small_credit_max,
        }


RULES = SubsidyRules()


def _micro(rate: Decimal) -> int:
    """A rate in millionths, refusing one that DECIMAL(9,6) could not hold exactly."""
    micro = rate * 1_000_000
    if micro != micro.to_integral_value():
        raise ValueError(f"利率最多六位小数：{rate}")
    return int(micro)


# --- running the queries ------------------------------------------------------------


def _materialise(cur: engine.Session, table: str, name: str, params: dict) -> None:
    cur.materialise(table, name, scope=None, **params)


def _allocate(cur: engine.Session, table: str, claims: str, params: dict) -> None:
    """Run the claims query `claims`, then share each group's capped target among its
    members in proportion, to the fen (R4; the same rule for the caps of R5 and R6)."""
    _materialise(cur, "claims", claims, params)
    _materialise(cur, table, "subsidy/allocate", params)


def _register_labels(cur: engine.Session) -> None:
    labels = {**KIND_LABELS, **REASON_LABELS, **STATUS_LABELS}
    cur.register("labels", pd.DataFrame({"code": list(labels), "label": list(labels.values())}))


def _build_interest(cur: engine.Session, params: dict) -> None:
    """R1–R4 for loans and leases: every payment of the year, before and after the caps."""
    _materialise(cur, "judged_events", "subsidy/judged_events", params)
    _materialise(cur, "payment_uncapped", "subsidy/payment_uncapped", params)
    _allocate(cur, "loan_shares", "subsidy/loan_claims", params)
    _allocate(cur, "payment_shares", "subsidy/payment_claims", params)


def _build_all(cur: engine.Session, params: dict) -> None:
    """R1–R6: every subsidy item of the year in `subsidy_items`."""
    _build_interest(cur, params)
    _materialise(cur, "guarantee_uncapped", "subsidy/guarantee_uncapped", params)
    _allocate(cur, "guarantee_shares", "subsidy/guarantee_claims", params)
    _materialise(cur, "insurance_uncapped", "subsidy/insurance_uncapped", params)
    _allocate(cur, "insurance_shares", "subsidy/insurance_claims", params)
    _materialise(cur, "subsidy_items", "subsidy/items", params)


def _params(year: int, rules: SubsidyRules) -> dict:
    return rules.params(year)


# --- public API -----------------------------------------------------------------------


def subsidy_table(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = REGULATOR,
                  rules: SubsidyRules = RULES) -> pd.DataFrame:
    """One row per project, kind, year and institution (R1–R6).

    kind is loan, lease (R2–R4), guarantee (R5, institution = the guarantor) or one of
    the insurance kinds (R6, one row per policy: project_id is the policy's project, or
    the policy id when it has none; institution = the insurer). A project financed by
    two banks has a row for each, so that bank totals are exact and a bank sees only its
    own share. Columns: project_id, policy_id, kind, kind_text, year, inst_id, ent_id,
    district_code, items, refused, uncapped, subsidy (Decimal yuan), capped, reason
    (refusal codes, ';'-separated), reason_text.
    """
    with engine.session(con) as cur:
        params = _params(year, rules)
        _register_labels(cur)
        _build_all(cur, params)
        return cur.query("subsidy/by_project", scope=scope, **params)


def payment_detail(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = REGULATOR,
                   rules: SubsidyRules = RULES) -> pd.DataFrame:
    """Every interest payment of `year` with its eligibility and subsidy (R1–R4).

    Columns: payment_id, loan_id, project_id, ent_id, inst_id, district_code, kind (loan or
    lease), paid_on, interest_paid, amount, land_amount, rate, eligible, basis, reason,
    reason_text, uncapped, subsidy (Decimal yuan), capped.
    `basis` says which bound set the subsidy: `rate_share` (half the loan rate, or the
    whole rent interest of a lease) or `rate_points` (2 points a year). `subsidy` is
    after the project's annual cap (R4): a capped loan's share is spread over its
    payments in proportion to their uncapped subsidy, by the same fen rule as the cap.
    """
    with engine.session(con) as cur:
        params = _params(year, rules)
        _register_labels(cur)
        _build_interest(cur, params)
        return cur.query("subsidy/payment_detail", scope=scope, **params)


def totals_by_institution(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = REGULATOR,
                          rules: SubsidyRules = RULES) -> pd.DataFrame:
    """Per institution of `year` (lender, guarantor or insurer): items, refusals, uncapped and
    paid-out subsidy, and whether it is a cooperating institution of the year (R7)."""
    with engine.session(con) as cur:
        params = _params(year, rules)
        _build_all(cur, params)
        return cur.query("subsidy/by_institution", scope=scope, **params)


def payment_queue(con: duckdb.DuckDBPyConnection, year: int, budget: Decimal | None = None,
                  city_share: Decimal = Decimal("1"), scope: Scope = REGULATOR,
                  rules: SubsidyRules = RULES) -> pd.DataFrame:
    """The interest-subsidy claims of `year` in payment order (R7, 十三 先付后贴, 十九 优先兑现).

    Payments on loans of the year's cooperating institutions come first, then by paid_on,
    then by payment_id. With a `budget` (yuan), each claim is paid while money lasts:
    status paid, partial (the claim where the budget runs out) or waiting. `ahead` is what
    the claims before it add up to. `city_share` (0…1, taken as the nearest fraction with a
    denominator up to 1,000,000) splits each claim: the city part is rounded half-up to the
    fen, the district pays the rest, so the parts add up. The
    order is over all claims; `scope` only filters which rows are returned.
    """
    if not Decimal("0") <= Decimal(city_share) <= Decimal("1"):
        raise ValueError(f"市级分担比例应在0到1之间：{city_share}")
    if budget is not None and Decimal(budget) < 0:
        raise ValueError(f"预算不能为负数：{budget}")
    share_num, share_den = ratio(city_share, max_denominator=1_000_000)
    with engine.session(con) as cur:
        params = {
            **_params(year, rules),
            "budget_fen": None if budget is None else to_fen(budget),
            "city_share_num": share_num,
            "city_share_den": share_den,
        }
        _register_labels(cur)
        _build_interest(cur, params)
        return cur.query("subsidy/queue", scope=scope, **params)


def relending_check(con: duckdb.DuckDBPyConnection, scope: Scope = REGULATOR,
                    rules: SubsidyRules = RULES) -> pd.DataFrame:
    """Loans marked 支农支小再贷款 (`relending = agri_small`) that break R8 (四), as data errors.

    Valid only when the lender is a local legal-person institution and the borrower is
    agricultural, small or micro, or private with a single-household credit line below
    30,000,000. One row per offending loan with every reason (codes and Chinese text).
    """
    with engine.session(con) as cur:
        _register_labels(cur)
        return cur.query("subsidy/relending", scope=scope, agri_small_credit_max=rules.agri_small_credit_max)
