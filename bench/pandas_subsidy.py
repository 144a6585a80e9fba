"""The interest subsidies of a year (R1–R4) written the straightforward pandas way.

The yardstick for `scoring.subsidy.payment_detail`: the same rules as
queries/subsidy/{judged_events,payment_uncapped,loan_claims,payment_claims,allocate}.sql
on frames loaded once — merge payments, loans, institutions, projects and enterprises;
eligibility as boolean masks with the first failing reason (R1); each payment's subsidy
as an exact fraction of integer fen and micro-rates rounded half-up once (R2, R3); the annual
cap of a project over it shared among its loans, then each loan's share among its payments,
floored to the fen with the fen left over to the largest (R4; as in the engine, a project under
its cap is not allocated: its payments keep their subsidy). No Decimal, no float money.
`payment_listing` is the annual job's output, the payment detail of `scoring.subsidy.payment_detail`:
the same columns (the payment's place, eligibility, basis and reason text) in the same order.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from scoring.money import to_fen
from scoring.policy import load_policy

POLICY = load_policy()  # the built-in policy file, read once: not inside the timed yardstick

REASONS = [  # R1, in the order the checks apply: the first failing one is the reason
    "unknown_loan", "unknown_project", "project_of_other_enterprise", "lender_not_bank", "lender_not_leasing",
    "outside_policy_period", "not_manufacturing", "not_filed", "not_pooled", "below_threshold", "land_portion",
]


def load(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The rows the computation reads, as pandas frames (money arrives as float yuan)."""
    return {
        "payments": con.sql("select payment_id, loan_id, paid_on, interest_paid from interest_payments").df(),
        "loans": con.sql(
            "select loan_id, inst_id, ent_id, project_id, kind as loan_kind, amount, land_amount, rate "
            "from loans").df(),
        "institutions": con.sql("select inst_id, kind as lender_kind from institutions").df(),
        "projects": con.sql(
            "select project_id, ent_id as project_ent_id, district_code as project_district, filed_on, pooled_on, "
            "total_investment, land_cost from projects").df(),
        "enterprises": con.sql("select ent_id, manufacturing, district_code from enterprises").df(),
    }


def fen(yuan: pd.Series) -> np.ndarray:
    """Float yuan with two decimals to exact integer fen (exact below 2**53 fen); missing → 0."""
    return np.rint(yuan.fillna(0).to_numpy(float) * 100).astype(np.int64)


def judged(frames: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """Every interest payment of `year` with its loan, project and refusal reason (R1)."""
    params = POLICY.subsidy_params(year)
    pay = frames["payments"]
    p = (pay[pay["paid_on"].dt.year == year]
         .merge(frames["loans"], on="loan_id", how="left")
         .merge(frames["institutions"], on="inst_id", how="left")
         .merge(frames["projects"], on="project_id", how="left")
         .merge(frames["enterprises"], on="ent_id", how="left"))
    is_loan = (p["loan_kind"] == "loan").to_numpy(bool)
    lender = p["lender_kind"].fillna("")
    investment_ex_land = fen(p["total_investment"]) - fen(p["land_cost"])
    p["amount_fen"], p["land_fen"], p["interest_fen"] = fen(p["amount"]), fen(p["land_amount"]), fen(p["interest_paid"])
    p["rate_micro"] = np.rint(p["rate"].fillna(0).to_numpy(float) * 1_000_000).astype(np.int64)
    checks = [
        p["loan_kind"].isna(),
        p["project_ent_id"].isna(),
        p["project_ent_id"] != p["ent_id"],
        is_loan & (lender != "bank"),
        ~is_loan & (lender != "leasing"),
        (p["paid_on"] < pd.Timestamp(params["policy_start"])) | (p["paid_on"] > pd.Timestamp(params["policy_end"])),
        ~p["manufacturing"].fillna(False).astype(bool),
        p["filed_on"].isna(),
        p["pooled_on"].isna() | (p["pooled_on"] > p["paid_on"]),
        investment_ex_land < to_fen(params["min_investment"]),
        p["land_fen"] >= p["amount_fen"],
    ]
    p["reason"] = pd.Series(np.select(checks, REASONS, default=""), index=p.index).replace("", None)
    p["kind"] = np.where(is_loan, "loan", "lease")
    return p


def half_up(numerator, denominator):
    """numerator / denominator rounded half-up, for non-negative integers (arrays of int64 or object)."""
    return (2 * numerator + denominator) // (2 * denominator)


def uncapped_fen(p: pd.DataFrame, year: int) -> tuple[np.ndarray, np.ndarray]:
    """R2, R3: interest × non-land share × min(rate share, 2 points / rate), exactly to the fen; and
    whether the rate share binds (the basis `rate_share`) rather than the 2 points.

    Without land the non-land share is 1 and int64 holds the fraction; with land the
    product can pass 2**63, so those rows use Python integers (object arrays).
    """
    params = POLICY.subsidy_params(year)
    is_loan = (p["kind"] == "loan").to_numpy()
    share_num = np.where(is_loan, params["loan_share_num"], params["lease_share_num"])
    share_den = np.where(is_loan, params["loan_share_den"], params["lease_share_den"])
    rate_micro = p["rate_micro"].to_numpy()
    points = params["rate_points_micro"]
    share_binds = share_num * rate_micro <= points * share_den
    factor_num = np.where(share_binds, share_num, points)
    factor_den = np.where(share_binds, share_den, rate_micro)
    interest = p["interest_fen"].to_numpy()
    result = np.zeros(len(p), dtype=np.int64)
    eligible = p["reason"].isna().to_numpy()
    plain = eligible & (p["land_fen"].to_numpy() == 0)
    result[plain] = half_up(interest[plain] * factor_num[plain], factor_den[plain])
    land = eligible & ~plain
    amount, non_land = p["amount_fen"].to_numpy()[land], (p["amount_fen"] - p["land_fen"]).to_numpy()[land]
    big = [np.asarray(x, dtype=object) for x in (interest[land], non_land, factor_num[land], amount, factor_den[land])]
    result[land] = half_up(big[0] * big[1] * big[2], big[3] * big[4]).astype(np.int64)
    return result, share_binds


def allocate(claims: pd.DataFrame, group: list[str], member: str) -> pd.Series:
    """Share each group's `target` among its members in proportion to `weight`, to the fen (R4):
    floors first, the fen left over one each to the largest members (ties: smallest id)."""
    c = claims.sort_values([*group, "weight", member], ascending=[True] * len(group) + [False, True])
    total = c.groupby(group)["weight"].transform("sum")
    # when the cap does not bind each member keeps its weight; skipping the product avoids int64 overflow
    floor = np.where(c["target"] == total, c["weight"], c["weight"] * c["target"] // total.where(total > 0, 1))
    c["allocated"] = floor
    left = c["target"] - c.groupby(group)["allocated"].transform("sum")
    c["allocated"] += (c.groupby(group).cumcount() < left).astype(np.int64)
    return c.set_index(member)["allocated"]


def payment_subsidies(frames: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """Every payment of `year` as `judged` with uncapped_fen, subsidy_fen (after the cap, R4) and basis.
    As the engine does (queries/subsidy/allocate.sql), only the projects over their cap are allocated: every
    other payment keeps its uncapped subsidy."""
    params = POLICY.subsidy_params(year)
    p = judged(frames, year)
    p["uncapped_fen"], share_binds = uncapped_fen(p, year)
    p["basis"] = np.where(share_binds, "rate_share", "rate_points")
    ok = p[p["reason"].isna()]
    project = ["project_id", "kind"]
    loans = ok.groupby([*project, "loan_id"], as_index=False)["uncapped_fen"].sum()
    loans = loans.rename(columns={"uncapped_fen": "weight"})
    cap = np.where(loans["kind"] == "loan", params["loan_cap_fen"], params["lease_cap_fen"])
    total = loans.groupby(project)["weight"].transform("sum")
    loans["target"] = np.minimum(total, cap)
    loan_share = allocate(loans[loans["target"] < total], project, "loan_id")
    payments = ok.loc[ok["loan_id"].isin(loan_share.index), ["loan_id", "payment_id", "uncapped_fen"]]
    payments = payments.rename(columns={"uncapped_fen": "weight"})
    payments["target"] = payments["loan_id"].map(loan_share).astype(np.int64)
    shares = allocate(payments, ["loan_id"], "payment_id")
    p["subsidy_fen"] = p["uncapped_fen"]
    p.loc[payments.index, "subsidy_fen"] = shares.loc[payments["payment_id"]].to_numpy()
    return p


LISTING = ["payment_id", "loan_id", "project_id", "ent_id", "inst_id", "district_code", "kind", "paid_on",
           "interest_paid", "amount", "land_amount", "rate", "eligible", "basis", "reason", "reason_text", "uncapped",
           "subsidy", "capped"]


def payment_listing(frames: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """The payment detail as the annual job writes it (`subsidy.payment_detail`): every payment of `year`
    placed in its project's district (else its enterprise's), eligible or refused with the reason's text,
    the basis of an eligible one's subsidy; money in integer fen and the rate in millionths (missing where
    the loan is unknown); ordered by the day paid and the payment."""
    p = payment_subsidies(frames, year)
    known, eligible = p["loan_kind"].notna(), p["reason"].isna()
    listing = p.assign(
        district_code=p["project_district"].fillna(p["district_code"]),
        kind=p["kind"].where(known),
        interest_paid=p["interest_fen"],
        amount=p["amount_fen"].where(known), land_amount=p["land_fen"].where(known), rate=p["rate_micro"].where(known),
        eligible=eligible,
        basis=p["basis"].where(eligible),
        reason_text=p["reason"].map(pd.Series(POLICY.reason_labels())),
        uncapped=p["uncapped_fen"], subsidy=p["subsidy_fen"], capped=p["subsidy_fen"] < p["uncapped_fen"],
    )
    return listing.sort_values(["paid_on", "payment_id"], ignore_index=True)[LISTING]
