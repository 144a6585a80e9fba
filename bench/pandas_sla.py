"""The "3个1" stage statuses (R9, R10) written the straightforward pandas way.

The yardstick for the judged stages (`queries/staging/sla_stages.sql`): the same rules as
queries/sla/stages.sql ("one week" = five working days), on frames loaded once from the
database — milestones known by the as-of day, the three stages stacked, deadlines
found by merging on the calendar's working-day ordinals, statuses with `numpy.select`.
`stage_listing` is the annual job's output, the stage listing of `scoring.sla.stage_table`: the same
columns (working days used, left and late; provisional) in the same order.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

STAGE_OFFSETS = {"connect": 1, "approve": 5, "disburse": 5}  # working days allowed (R10)


def load(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The rows the computation reads, as pandas frames."""
    return {
        "applications": con.sql(
            "select app_id, inst_id, ent_id, registered_on, connected_on, decision, decided_on, disbursed_on "
            "from applications").df(),
        "enterprises": con.sql("select ent_id, district_code from enterprises").df(),
        "calendar": con.sql("select day, working, provisional, work_ordinal from calendar order by day").df(),
    }


def known_milestones(apps: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Applications registered by `as_of` with only the milestones reached by then."""
    a = apps[apps["registered_on"] <= as_of]
    decided_known = a["decided_on"] <= as_of  # NaT compares False
    is_withdrawn = a["decision"] == "withdrawn"
    approved = a["decided_on"].where((a["decision"] == "approved") & decided_known)
    decided = a["decided_on"].where(a["decision"].isin(["approved", "rejected"]) & decided_known)
    withdrawn = is_withdrawn & (decided_known | a["decided_on"].isna())
    return a[["app_id", "inst_id", "ent_id", "district_code", "registered_on"]].assign(
        connected_on=a["connected_on"].where(a["connected_on"] <= as_of),
        decided_on=decided,
        approved_on=approved,
        disbursed_on=a["disbursed_on"].where(approved.notna() & (a["disbursed_on"] <= as_of)),
        withdrawn=withdrawn,
        withdrawn_on=a["decided_on"].where(is_withdrawn & decided_known),
        closed=withdrawn | (decided.notna() & approved.isna()),
    )


def stacked_stages(known: pd.DataFrame) -> pd.DataFrame:
    """One row per listed stage, with its place in the process and its working days allowed: connect always;
    approve once connected (or withdrawn); disburse once approved (or closed)."""
    keep = ["app_id", "inst_id", "ent_id", "district_code", "withdrawn", "withdrawn_on"]

    def stage(name: str, order: int, started_on: str, done_on: str) -> pd.DataFrame:
        # constants per part: mapping the stacked names row by row would cost more than the rules
        return known[keep].assign(stage=name, stage_order=order, offset=STAGE_OFFSETS[name],
                                  started_on=known[started_on], done_on=known[done_on])

    parts = [
        stage("connect", 1, "registered_on", "connected_on"),
        stage("approve", 2, "connected_on", "decided_on")[known["connected_on"].notna() | known["withdrawn"]],
        stage("disburse", 3, "approved_on", "disbursed_on")[known["approved_on"].notna() | known["closed"]],
    ]
    return pd.concat(parts, ignore_index=True)


def with_deadlines(stages: pd.DataFrame, calendar: pd.DataFrame) -> pd.DataFrame:
    """The deadline is the working day whose ordinal is ordinal(start) + the stage's offset (R9)."""
    ordinals = calendar[["day", "work_ordinal"]].rename(columns={"day": "started_on", "work_ordinal": "start_ordinal"})
    working = calendar.loc[calendar["working"], ["day", "work_ordinal"]].rename(
        columns={"day": "deadline", "work_ordinal": "deadline_ordinal"})
    working["deadline_ordinal"] = working["deadline_ordinal"].astype("float64")  # the key beside NaN-bearing sums
    dated = stages.merge(ordinals, on="started_on", how="left")
    dated["deadline_ordinal"] = dated["start_ordinal"] + dated["offset"]
    return dated.merge(working, on="deadline_ordinal", how="left")


def stage_statuses(frames: dict[str, pd.DataFrame], as_of: date) -> pd.DataFrame:
    """Every stage as of `as_of` with its status (met, breached, open, at_risk, not_applicable)."""
    day = pd.Timestamp(as_of)
    apps = frames["applications"].merge(frames["enterprises"], on="ent_id", how="left")
    stages = with_deadlines(stacked_stages(known_milestones(apps, day)), frames["calendar"])
    calendar = frames["calendar"]
    as_of_ordinal = calendar.loc[calendar["day"] == day, "work_ordinal"].iloc[0]
    done, deadline = stages["done_on"], stages["deadline"]
    withdrawn = stages["withdrawn"].to_numpy(bool)
    stages["status"] = np.select(
        [
            stages["started_on"].isna(),
            deadline.isna(),  # beyond the calendar: cannot be judged yet
            done.notna() & (done <= deadline),
            done.notna(),
            withdrawn & (stages["withdrawn_on"] > deadline),  # withdrawn after the deadline: still a breach
            withdrawn,
            day > deadline,
            stages["deadline_ordinal"] - as_of_ordinal <= 1,
        ],
        ["not_applicable", "open", "met", "breached", "breached", "not_applicable", "breached", "at_risk"],
        default="open",
    )
    return stages


LISTING = ["app_id", "inst_id", "ent_id", "district_code", "stage", "started_on", "deadline", "done_on", "status",
           "working_days_used", "working_days_left", "working_days_late", "withdrawn", "provisional"]


def stage_listing(frames: dict[str, pd.DataFrame], as_of: date) -> pd.DataFrame:
    """The stage listing as the annual job writes it (`sla.stage_table`): every stage with its status, the
    working days used (to the finish, the withdrawal or the as-of day), left (open, at risk) and late
    (breached), and whether a provisional calendar day falls between its start and deadline; ordered by
    application and stage."""
    stages = stage_statuses(frames, as_of)
    day = pd.Timestamp(as_of)
    days = frames["calendar"].set_index("day")
    ordinal, provisional_days = days["work_ordinal"], days["provisional"].cumsum()
    # done_on and withdrawn_on hold only the days known by `as_of`
    end_ordinal = stages["done_on"].fillna(stages["withdrawn_on"]).fillna(day).map(ordinal)
    deadline_ordinal = stages["deadline"].map(ordinal)
    status = stages["status"]
    span = (stages["deadline"].map(provisional_days) - stages["started_on"].map(provisional_days)
            + stages["started_on"].map(days["provisional"]).fillna(False).astype(int))
    listing = stages.assign(
        working_days_used=end_ordinal - stages["start_ordinal"],
        working_days_left=(deadline_ordinal - ordinal[day]).where(status.isin(["open", "at_risk"])),
        working_days_late=(end_ordinal - deadline_ordinal).where(status == "breached"),
        # beyond the calendar (no deadline) a started stage counts as provisional
        provisional=(span > 0).where(span.notna(), stages["started_on"].notna()).astype(bool),
    )
    return listing.sort_values(["app_id", "stage_order"], ignore_index=True)[LISTING]


def compliance_by_institution(stages: pd.DataFrame) -> pd.DataFrame:
    """R10 compliance = met / (met + breached) per institution, every stage."""
    counts = pd.crosstab(stages["inst_id"], stages["status"]).reindex(columns=["met", "breached"], fill_value=0)
    judged = counts["met"] + counts["breached"]
    return counts.assign(compliance_rate=counts["met"] / judged.where(judged > 0)).reset_index()
