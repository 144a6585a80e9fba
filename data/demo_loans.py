"""Demo loans and leases, their quarterly interest payments, and loan guarantees.

A loan is made for every funded application (signed between approval and
disbursement) plus some reported without an application. Rates sit around the LPR of
the signing day (`reference/lpr.csv`, the published 1-year and 5-year-plus rates):
banks mostly a little below, leasing companies 4.5–7 %. Re-lending follows R8: the
technology re-lending tool through national banks, agri-small re-lending through local
legal-person lenders for eligible borrowers — plus a few deliberate violations for the
data-error view.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from data.demo_applications import FUNDED, Applications, Window, lenders
from data.demo_kit import (
    BP, FEN_PER_YUAN, MICRO, ids, months_later, pick, reference, round_micro, share_fen, to_fen, weighted,
    within,
)
from data.demo_parties import Enterprises
from data.demo_projects import Projects

KINDS = ("loan", "lease_direct", "lease_direct_back")
RELENDING = ("none", "tech", "agri_small")
NONE, TECH, AGRI_SMALL = range(3)
TERMS_MONTHS = {"bank": ((12, 24, 36, 60, 84, 96), (0.15, 0.15, 0.30, 0.25, 0.10, 0.05)),
                "leasing": ((36, 48, 60), (0.40, 0.20, 0.40))}
LONG_TERM_MONTHS = 60  # a term above five years prices off the 5-year-plus LPR
FINANCED_SHARE = (0.30, 0.75)  # of a project's investment, shared among its loans
AMOUNT_CAP_YUAN = 1_000_000_000
LAND_IN_LOAN = 0.3  # of loans to projects that buy land, the share that finance some of it
BANK_RATE_NOISE_BP, LEASE_RATE_NOISE_BP = 20, 40
KEY_FIRM_DISCOUNT_BP = 10  # 十四: better prices for 专精特新, 小巨人, gazelles, unicorns
MICRO_FIRM_PREMIUM_BP = 15
BANK_RATE_FLOOR = 18_000  # 1.80 %
LEASE_RATE_RANGE = (45_000, 70_000)
TECH_RELENDING = 0.22  # of national banks' loans; more for key firms
AGRI_SMALL_RELENDING = 0.35  # of local lenders' loans to eligible borrowers
AGRI_SMALL_CREDIT_LINE = 30_000_000 * FEN_PER_YUAN  # R8
RELENDING_VIOLATIONS = 3
NATIONAL_TIERS = ("big", "policy", "joint")
LOCAL_TIERS = ("local", "village")
SIZE_CREDIT_MULTIPLE = ((1.5, 4.0), (1.2, 3.0), (1.0, 2.0), (1.0, 1.5))  # credit line / amount by size
INTEREST_DAY = 20  # banks settle interest on the 20th of the last month of each quarter, debited the 21st
LATE_PAYMENT = 0.01
GUARANTEED_BY_SIZE = (0.02, 0.10, 0.25, 0.25)
GUARANTEED_PART_MICRO = (500_000, 800_000, 1_000_000)  # half, 80 % or all of the loan
FEE_NOISE_BP = 20
FEE_RANGE_BP = (30, 250)


@dataclass(frozen=True)
class Loans:
    app: np.ndarray  # -1: reported without an application
    inst: np.ndarray
    ent: np.ndarray
    project: np.ndarray
    kind: np.ndarray
    amount_fen: np.ndarray
    land_fen: np.ndarray
    rate_micro: np.ndarray
    lpr_micro: np.ndarray
    signed: np.ndarray
    disbursed: np.ndarray
    maturity: np.ndarray
    relending: np.ndarray
    credit_line_fen: np.ndarray  # -1: not reported

    def __len__(self) -> int:
        return len(self.inst)

    def rows(self, loan_ids: pa.Array, ents: Enterprises, project_ids: pa.Array, app_ids: pa.Array, insts: pd.DataFrame,
             product_ids: pa.Array) -> dict:
        return {
            "loan_id": loan_ids,
            "inst_id": insts["inst_id"].to_numpy(str)[self.inst],
            "ent_id": ents.ent_id[self.ent],
            "project_id": project_ids.take(pa.array(self.project)),
            "app_id": app_ids.take(pa.array(self.app, mask=self.app < 0)),
            "product_id": product_ids,
            "kind": pick(KINDS, self.kind),
            "amount_fen": self.amount_fen,
            "land_amount_fen": self.land_fen,
            "rate_micro": self.rate_micro,
            "lpr_micro": self.lpr_micro,
            "signed_on": self.signed,
            "disbursed_on": self.disbursed,
            "maturity_on": self.maturity,
            "relending": pick(RELENDING, self.relending),
            "credit_line_fen": pa.array(self.credit_line_fen, mask=self.credit_line_fen < 0),
        }


def loans(
    rng: np.random.Generator, window: Window, apps: Applications, ents: Enterprises, projects: Projects,
    insts: pd.DataFrame, direct: int,
) -> Loans:
    app, project, inst, signed, disbursed = signings(rng, window, apps, projects, insts, direct)
    ent = projects.ent[project]
    leasing = (insts["kind"] == "leasing").to_numpy()[inst]
    n = len(inst)
    kind = np.where(leasing, np.where(rng.random(n) < 0.55, 1, 2), 0)
    amount_fen = loan_amounts(rng, projects, project)
    term = np.where(leasing, draw_terms(rng, "leasing", n), draw_terms(rng, "bank", n))
    lpr_micro = lpr_on(signed, term > LONG_TERM_MONTHS)
    key_firm = ents.tagged("unicorn", "potential_unicorn", "gazelle", "specialized", "little_giant")[ent]
    rate_micro = loan_rates(rng, insts, inst, leasing, lpr_micro, key_firm, ents.size[ent] == 3)
    credit_line_fen = credit_lines(rng, ents.size[ent], amount_fen, leasing)
    relending = relending_tools(rng, insts["tier"].to_numpy()[inst], ents, ent, credit_line_fen, key_firm)
    return Loans(app, inst, ent, project, kind, amount_fen, land_parts(rng, projects, project, amount_fen), rate_micro,
                 lpr_micro, signed, disbursed, months_later(signed, term), relending, credit_line_fen)


def signings(rng, window: Window, apps: Applications, projects: Projects, insts: pd.DataFrame, direct: int) -> tuple:
    """(application, project, lender, signing day, disbursement day) of every loan, in signing order.

    A funded application's loan is signed between approval and disbursement; a loan
    reported without an application is disbursed within three working days of signing.
    """
    cal = window.cal
    funded = np.flatnonzero(apps.fate == FUNDED)
    direct_project = projects.pick(rng, direct)
    direct_signed = window.draw(rng, np.full(direct, window.last - 3))
    direct_disbursed = direct_signed + within(rng, np.zeros(direct, np.int64), 3)
    signing = within(rng, np.zeros(len(funded), np.int64), apps.disburse_delay[funded])
    app = np.concatenate([funded, np.full(direct, -1)])
    project = np.concatenate([apps.project[funded], direct_project])
    inst = np.concatenate([apps.inst[funded], lenders(rng, insts, projects.district[direct_project])])
    signed = cal.day_of(np.concatenate([apps.decided[funded] + signing, direct_signed]))
    disbursed = cal.day_of(np.concatenate([apps.disbursed[funded], direct_disbursed]))
    order = np.lexsort((inst, signed))  # keys are handed out in order of signing
    return app[order], project[order], inst[order], signed[order], disbursed[order]


def land_parts(rng: np.random.Generator, projects: Projects, project: np.ndarray, amount_fen: np.ndarray) -> np.ndarray:
    """The land portion of some loans to projects that buy land: 5–30 % of the smaller of land cost and loan."""
    n = len(project)
    base_yuan = np.minimum(projects.land_fen[project], amount_fen) / FEN_PER_YUAN
    portion = np.minimum(to_fen(base_yuan * rng.uniform(0.05, 0.3, n), 1_000), amount_fen)
    return np.where((projects.land_fen[project] > 0) & (rng.random(n) < LAND_IN_LOAN), portion, 0)


def loan_amounts(rng: np.random.Generator, projects: Projects, project: np.ndarray) -> np.ndarray:
    """Whole 万元 amounts that together finance 30–75 % of each project's investment."""
    loans_per_project = np.bincount(project, minlength=len(projects))[project]
    yuan = projects.investment_fen[project] / FEN_PER_YUAN * rng.uniform(*FINANCED_SHARE, len(project)) / loans_per_project
    return to_fen(np.minimum(yuan, AMOUNT_CAP_YUAN), 10_000)


def draw_terms(rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
    months, shares = TERMS_MONTHS[kind]
    return np.asarray(months)[weighted(rng, n, shares)]


def lpr_on(days: np.ndarray, long_term: np.ndarray) -> np.ndarray:
    """The published LPR (micro-units) in force on each day, 1-year or 5-year-plus."""
    table = reference("lpr.csv")
    effective = table["effective_from"].to_numpy("datetime64[D]")
    row = np.searchsorted(effective, days, side="right") - 1
    if (row < 0).any():
        raise ValueError("签约日期早于 LPR 表的首个生效日")
    one_year, five_year = (np.rint(table[c].astype(float).to_numpy() * MICRO).astype(np.int64) for c in ("one_year", "five_year"))
    return np.where(long_term, five_year[row], one_year[row]).astype(np.int64)


def loan_rates(rng, insts: pd.DataFrame, inst, leasing, lpr_micro, key_firm, micro_firm) -> np.ndarray:
    """Rates on a 5-bp grid: the lender's usual spread over LPR, key firms a little cheaper."""
    n = len(inst)
    spread = insts["spread_bp"].to_numpy()[inst] * BP
    noise = rng.normal(0, np.where(leasing, LEASE_RATE_NOISE_BP, BANK_RATE_NOISE_BP), n) * BP
    tilt = (MICRO_FIRM_PREMIUM_BP * micro_firm - KEY_FIRM_DISCOUNT_BP * key_firm) * BP
    rate = round_micro(np.rint(lpr_micro + spread + noise + tilt).astype(np.int64), 5 * BP)
    bank = np.clip(rate, np.maximum(lpr_micro - 120 * BP, BANK_RATE_FLOOR), lpr_micro + 200 * BP)
    return np.where(leasing, np.clip(rate, *LEASE_RATE_RANGE), bank)


def credit_lines(rng: np.random.Generator, size: np.ndarray, amount_fen: np.ndarray, leasing: np.ndarray) -> np.ndarray:
    """Single-household credit (单户授信) at least the loan, reported for most bank loans."""
    low, high = np.asarray(SIZE_CREDIT_MULTIPLE).T
    multiple = rng.uniform(low[size], high[size])
    line = np.maximum(to_fen(amount_fen / FEN_PER_YUAN * multiple, 100_000), amount_fen)
    reported = rng.random(len(size)) < np.where(leasing, 0.3, 0.85)
    return np.where(reported, line, -1)


def agri_small_eligible(ents: Enterprises, ent: np.ndarray, credit_line_fen: np.ndarray) -> np.ndarray:
    """R8 borrowers: agricultural, small or micro, or private with credit below 30 M."""
    private_small_credit = (ents.ownership[ent] == 1) & (credit_line_fen >= 0) & (credit_line_fen < AGRI_SMALL_CREDIT_LINE)
    return ents.agricultural[ent] | (ents.size[ent] >= 2) | private_small_credit


def relending_tools(rng, tier, ents: Enterprises, ent, credit_line_fen, key_firm) -> np.ndarray:
    """Which re-lending tool funds each loan (R8), with RELENDING_VIOLATIONS deliberate errors:
    two local-lender loans to ineligible borrowers and one national-bank loan marked agri-small."""
    n = len(tier)
    national = np.isin(tier, NATIONAL_TIERS)
    local = np.isin(tier, LOCAL_TIERS)
    eligible = agri_small_eligible(ents, ent, credit_line_fen)
    tech = national & (rng.random(n) < TECH_RELENDING + 0.15 * key_firm)
    agri = local & eligible & (rng.random(n) < AGRI_SMALL_RELENDING)
    tool = np.select([tech, agri], [TECH, AGRI_SMALL], NONE)
    wrong_borrower = np.flatnonzero(local & ~eligible & (credit_line_fen >= 0))[: RELENDING_VIOLATIONS - 1]
    wrong_lender = np.flatnonzero(national & (tool == NONE))[:1]
    tool[np.concatenate([wrong_borrower, wrong_lender])] = AGRI_SMALL
    return tool


def attach_products(rng: np.random.Generator, loans: Loans, products: pd.DataFrame, share: float = 0.3) -> np.ndarray:
    """A product row for about `share` of loans (-1: none): one of the lender's, launched by the signing day."""
    product = np.full(len(loans), -1)
    launched = products["launched_on"].to_numpy("datetime64[D]")
    through_product = rng.random(len(loans)) < share
    for inst, offered in products.groupby("inst", sort=True).indices.items():
        mine = np.flatnonzero((loans.inst == inst) & through_product)
        choice = offered[rng.integers(0, len(offered), len(mine))]
        product[mine] = np.where(launched[choice] <= loans.signed[mine], choice, -1)
    return product


# ---- interest ----------------------------------------------------------------------


def settlement_day(quarter: np.ndarray) -> np.ndarray:
    """The interest day of quarter index q (= year × 4 + quarter − 1): the 20th of its last month."""
    months = (quarter // 4 - 1970) * 12 + (quarter % 4) * 3 + 2
    return months.astype("datetime64[M]").astype("datetime64[D]") + (INTEREST_DAY - 1)


def quarter_of(days: np.ndarray) -> np.ndarray:
    months = days.astype("datetime64[M]").astype(np.int64)
    return (months // 12 + 1970) * 4 + (months % 12) // 3


def interest_payments(rng: np.random.Generator, loans: Loans, loan_ids: pa.Array, until: np.datetime64) -> dict:
    """Quarterly interest (租息 for leases) up to `until`: interest = amount × rate × days / 360,
    half-up to the fen; the last period of a matured loan ends the day before maturity."""
    first_q = quarter_of(loans.disbursed)
    first_q = np.where(loans.disbursed < settlement_day(first_q), first_q, first_q + 1)
    matured = loans.maturity <= until
    last_day = np.where(matured, loans.maturity - 1, until - 1)  # a settlement must be paid (the next day) by until
    last_q = quarter_of(last_day)
    last_q = np.where(settlement_day(last_q) <= last_day, last_q, last_q - 1)
    regular = np.maximum(last_q - first_q + 1, 0)
    final = matured & ((regular == 0) | (settlement_day(np.maximum(last_q, first_q)) < last_day))
    count = regular + final
    loan = np.repeat(np.arange(len(loans)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    q = first_q[loan] + k
    end = np.where(k < regular[loan], settlement_day(q), loans.maturity[loan] - 1)
    start = np.where(k == 0, loans.disbursed[loan], settlement_day(q - 1) + 1)
    days = (end - start).astype(np.int64) + 1
    late = np.where(rng.random(len(loan)) < LATE_PAYMENT, rng.integers(1, 6, len(loan)), 0)
    paid = np.minimum(end + 1 + late, until)
    interest = (loans.amount_fen[loan] * loans.rate_micro[loan] * days + 360 * MICRO // 2) // (360 * MICRO)
    return {
        "payment_id": ids("IP", len(loan), 8),
        "loan_id": loan_ids.take(pa.array(loan)),
        "period_start": start,
        "period_end": end,
        "paid_on": paid,
        "interest_paid_fen": interest,
    }


# ---- guarantees --------------------------------------------------------------------


def guarantees(rng: np.random.Generator, loans: Loans, loan_ids: pa.Array, ents: Enterprises, insts: pd.DataFrame) -> dict:
    """Guarantees on bank loans, mostly to small firms; annual fee paid at signing.

    Each guarantor has its usual fee rate, so some guarantees sit above the 1 % line of R5.
    """
    is_bank_loan = loans.kind == 0
    chance = np.asarray(GUARANTEED_BY_SIZE)[ents.size[loans.ent]]
    loan = np.flatnonzero(is_bank_loan & (rng.random(len(loans)) < chance))
    guarantor_rows = np.flatnonzero((insts["kind"] == "guarantee").to_numpy())
    guarantor = guarantor_rows[weighted(rng, len(loan), insts["weight"].to_numpy()[guarantor_rows])]
    fee_bp = insts["fee_bp"].to_numpy()[guarantor] + rng.normal(0, FEE_NOISE_BP, len(loan))
    fee_micro = round_micro(np.rint(np.clip(fee_bp, *FEE_RANGE_BP) * BP).astype(np.int64), 5 * BP)
    guaranteed_fen = share_fen(loans.amount_fen[loan], np.asarray(GUARANTEED_PART_MICRO)[weighted(rng, len(loan), (1, 1, 2))])
    return {
        "guarantee_id": ids("GT", len(loan)),
        "loan_id": loan_ids.take(pa.array(loan)),
        "guarantor_id": insts["inst_id"].to_numpy(str)[guarantor],
        "guaranteed_amount_fen": guaranteed_fen,
        "fee_rate_micro": fee_micro,
        "fee_paid_fen": share_fen(guaranteed_fen, fee_micro),
        "paid_on": loans.signed[loan],
    }
