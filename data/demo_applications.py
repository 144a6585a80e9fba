"""Demo financing applications and their "3个1" milestones (R9, R10, R11).

Every milestone is a working day of the database's calendar, picked as a working-day
ordinal offset from the previous one, so holidays and makeup days are respected. Each
institution's `speed` sets how often it meets each limit (connect within 1 working
day, decide within 5 of connecting, disburse within 5 of approval).

Applications come in fates:
- funded: approved and disbursed by `until` (each becomes a loan);
- rejected, withdrawn (some before being connected), stuck (approved long ago, never
  disbursed: a standing breach);
- open at `until`: waiting to be connected, decided or disbursed, placed backwards
  from `until` so some are on time, some at risk and some already late.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from data.demo_kit import NO_DAY, WorkDays, late_delay, pick, weighted, within
from data.demo_parties import Enterprises
from data.demo_projects import Projects

DECISIONS = ("approved", "rejected", "withdrawn", "pending")
APPROVED, REJECTED, WITHDRAWN, PENDING = range(4)
FATES = ("funded", "rejected", "withdrawn", "stuck", "open_connect", "open_decide", "open_disburse")
FUNDED, F_REJECTED, F_WITHDRAWN, STUCK, OPEN_CONNECT, OPEN_DECIDE, OPEN_DISBURSE = range(len(FATES))
CHANNELS = ("渝企金服", "长江渝融通", "银企对接会", "区县推荐", "机构自主营销")
CHANNEL_SHARES = (0.35, 0.20, 0.15, 0.15, 0.15)
LIMITS = (1, 5, 5)  # R10: connect, decide, disburse, in working days
ON_TIME = {  # chance of meeting each limit (connect, decide, disburse) by institution speed
    "fast": (0.995, 0.98, 0.98),  # most institutions meet most limits (十五 is a hard rule they report on)
    "normal": (0.98, 0.94, 0.95),
    "slow": (0.82, 0.66, 0.72),  # the few laggards the 约谈 list is for
}
SIMPLIFIED_DECIDE_LIMIT = 3  # a brief evaluation opinion is quicker than a full appraisal (R11)
WITHDRAW_AFTER = (1, 8)  # working days from connecting to a withdrawal
EARLY_WITHDRAWAL = 0.2  # share of withdrawals made before being connected (within a working day)
NEED_WITHOUT_PROJECT = 0.05  # rejected or withdrawn needs registered without a project
STUCK_SINCE = 15  # working days past a stuck approval's disbursement deadline at least
OPEN_LAG_WEIGHTS = (0.20, 0.18, 0.15, 0.13, 0.10, 0.08, 0.06, 0.05, 0.05)  # working days an open stage has waited
WEEKEND_REGISTRATION = 0.15  # of registrations on the first working day after a rest day, share made online during the rest
MONTH_FACTOR = (0.9, 0.6, 1.15, 1.0, 1.0, 1.15, 0.95, 0.95, 1.1, 0.85, 1.05, 1.2)  # Spring Festival lull, quarter ends
GROWTH = 0.8  # applications a day grow by this share from the first to the last day


@dataclass(frozen=True)
class Window:
    """The demo's span as working-day ordinals, with the day-by-day registration weights."""

    cal: WorkDays
    start: np.datetime64
    until: np.datetime64
    first: int  # ordinal of the first working day on or after start
    last: int  # ordinal of the last working day on or before until

    @classmethod
    def of(cls, cal: WorkDays, start: np.datetime64, until: np.datetime64) -> Window:
        return cls(cal, start, until, int(cal.ordinal_of(np.array([start - 1]))[0]) + 1, int(cal.ordinal_of(np.array([until]))[0]))

    def draw(self, rng: np.random.Generator, latest: np.ndarray) -> np.ndarray:
        """Working-day ordinals following the activity curve, each at most `latest`.

        Rejection sampling: draws past their bound are drawn again (few are), and the
        rare leftovers are clamped.
        """
        ordinals = np.arange(self.first, self.last + 1)
        month = self.cal.day_of(ordinals).astype("datetime64[M]").astype(np.int64) % 12
        weight = (1 + GROWTH * (ordinals - self.first) / max(self.last - self.first, 1)) * np.asarray(MONTH_FACTOR)[month]
        p = weight / weight.sum()
        drawn = rng.choice(ordinals, size=len(latest), p=p)
        for _ in range(20):
            late = drawn > latest
            if not late.any():
                break
            drawn[late] = rng.choice(ordinals, size=int(late.sum()), p=p)
        return np.minimum(drawn, latest)


@dataclass(frozen=True)
class Applications:
    fate: np.ndarray
    project: np.ndarray  # -1: a need without a project
    ent: np.ndarray
    inst: np.ndarray
    registered: np.ndarray  # days
    connected: np.ndarray  # working-day ordinals, NO_DAY when not (yet) done
    decided: np.ndarray
    disbursed: np.ndarray
    disburse_delay: np.ndarray  # working days from approval to disbursement (for signing days)
    simplified: np.ndarray
    channel: np.ndarray

    def __len__(self) -> int:
        return len(self.fate)

    def decision(self) -> np.ndarray:
        return np.select(
            [np.isin(self.fate, [FUNDED, STUCK, OPEN_DISBURSE]), self.fate == F_REJECTED, self.fate == F_WITHDRAWN],
            [APPROVED, REJECTED, WITHDRAWN],
            PENDING,
        )

    def rows(self, app_ids: pa.Array, cal: WorkDays, ents: Enterprises, project_ids: pa.Array, inst_ids: np.ndarray) -> dict:
        return {
            "app_id": app_ids,
            "ent_id": ents.ent_id[self.ent],
            "project_id": project_ids.take(pa.array(self.project, mask=self.project < 0)),
            "inst_id": inst_ids[self.inst],
            "channel": pick(CHANNELS, self.channel),
            "registered_on": self.registered,
            "connected_on": cal.day_of(self.connected),
            "decision": pick(DECISIONS, self.decision()),
            "decided_on": cal.day_of(self.decided),
            "disbursed_on": cal.day_of(self.disbursed),
            "simplified_review": self.simplified,
        }


def lenders(rng: np.random.Generator, insts: pd.DataFrame, district: np.ndarray) -> np.ndarray:
    """An institution index per borrower district: banks and leasing companies by weight;
    a village bank takes its `weight` share of its own district's borrowers."""
    lending = insts["kind"].isin(["bank", "leasing"]).to_numpy()
    village = (insts["tier"] == "village").to_numpy()
    citywide = np.flatnonzero(lending & ~village)
    inst = citywide[weighted(rng, len(district), insts["weight"].to_numpy()[citywide])]
    for i in np.flatnonzero(village):
        local = (district == insts["area"].iat[i]) & (rng.random(len(district)) < insts["weight"].iat[i])
        inst[local] = i
    return inst


def fate_counts(funded: int) -> dict[int, int]:
    """How many applications of each fate go with `funded` funded ones."""
    open_total = max(9, round(0.02 * funded))
    return {
        FUNDED: funded,
        F_REJECTED: round(0.10 * funded),
        F_WITHDRAWN: round(0.07 * funded),
        STUCK: max(2, round(0.004 * funded)),
        OPEN_CONNECT: round(0.2 * open_total),
        OPEN_DECIDE: round(0.45 * open_total),
        OPEN_DISBURSE: open_total - round(0.2 * open_total) - round(0.45 * open_total),
    }


def applications(
    rng: np.random.Generator, window: Window, ents: Enterprises, projects: Projects, insts: pd.DataFrame, funded: int
) -> Applications:
    counts = fate_counts(funded)
    fate = np.repeat(np.array(list(counts)), list(counts.values()))
    n = len(fate)
    project = projects.pick(rng, n)
    projectless = np.isin(fate, [F_REJECTED, F_WITHDRAWN]) & (rng.random(n) < NEED_WITHOUT_PROJECT)
    ent = np.where(projectless, weighted(rng, n, np.ones(len(ents))), projects.ent[project])
    project = np.where(projectless, -1, project)
    inst = lenders(rng, insts, ents.district[ent])

    eligible = ents.tags["whitelist"][ent] | np.where(project >= 0, projects.green[project] | projects.equipment_only[project], False)
    approved = np.isin(fate, [FUNDED, STUCK, OPEN_DISBURSE])
    simplified = approved & eligible & (rng.random(n) < insts["simplified"].to_numpy()[inst])
    connect, decide, disburse = stage_delays(rng, insts["speed"].to_numpy()[inst], simplified)
    early = (fate == F_WITHDRAWN) & (rng.random(n) < EARLY_WITHDRAWAL)
    withdraw = np.where(early, within(rng, np.zeros(n, np.int64), 1), within(rng, np.full(n, WITHDRAW_AFTER[0]), WITHDRAW_AFTER[1]))

    registered, connected, decided, disbursed = milestones(
        rng, window, fate, early, connect, decide, disburse, withdraw
    )
    order = np.lexsort((inst, registered))  # keys are handed out in order of registration
    return Applications(
        fate=fate[order], project=project[order], ent=ent[order], inst=inst[order],
        registered=registered[order], connected=connected[order], decided=decided[order],
        disbursed=disbursed[order], disburse_delay=disburse[order], simplified=simplified[order],
        channel=weighted(rng, n, CHANNEL_SHARES)[order],
    )


def stage_delays(rng: np.random.Generator, speed: np.ndarray, simplified: np.ndarray) -> tuple[np.ndarray, ...]:
    """Working days each stage takes, by the institution's speed; simplified review is quicker."""
    chance = np.array([ON_TIME[s] for s in speed])
    n = len(speed)
    on_time = rng.random((n, 3)) < chance
    connect = late_delay(rng, on_time[:, 0], 0, LIMITS[0], 0.5)
    decide = late_delay(rng, on_time[:, 1], 1, LIMITS[1], 0.6)
    quick = late_delay(rng, np.ones(n, bool), 1, SIMPLIFIED_DECIDE_LIMIT, 0.0)
    decide = np.where(simplified & on_time[:, 1], quick, decide)
    disburse = late_delay(rng, on_time[:, 2], 1, LIMITS[2], 0.6)
    return connect, decide, disburse


def milestones(rng, window: Window, fate, early, connect, decide, disburse, withdraw) -> tuple[np.ndarray, ...]:
    """Registration day and milestone ordinals for every fate (see the module docstring)."""
    n = len(fate)
    closes_by = np.select(  # working days from registration to the last milestone
        [fate == FUNDED, fate == F_REJECTED, early, fate == F_WITHDRAWN, fate == STUCK],
        [connect + decide + disburse, connect + decide, withdraw, connect + withdraw,
         connect + decide + LIMITS[2] + STUCK_SINCE],
        0,
    )
    forward = fate <= STUCK
    lag = weighted(rng, n, OPEN_LAG_WEIGHTS)
    start = np.select(  # the ordinal counted from: registration, or for open ones the last milestone
        [forward, fate == OPEN_CONNECT],
        [window.draw(rng, window.last - closes_by), window.last - np.minimum(lag, 3)],
        window.last - lag,
    )
    registered = np.select(
        [forward | (fate == OPEN_CONNECT), fate == OPEN_DECIDE],
        [start, start - connect],
        start - decide - connect,
    )
    connected = np.select(
        [early | (fate == OPEN_CONNECT), fate == OPEN_DECIDE, fate == OPEN_DISBURSE],
        [NO_DAY, start, start - decide],
        registered + connect,
    )
    decided = np.select(
        [early, fate == F_WITHDRAWN, np.isin(fate, [FUNDED, F_REJECTED, STUCK]), fate == OPEN_DISBURSE],
        [registered + withdraw, connected + withdraw, connected + decide, start],
        NO_DAY,
    )
    disbursed = np.where(fate == FUNDED, decided + disburse, NO_DAY)
    return registration_days(rng, window.cal, registered), connected, decided, disbursed


def registration_days(rng: np.random.Generator, cal: WorkDays, ordinals: np.ndarray) -> np.ndarray:
    """Registration days: working days, some moved back onto the rest day before (online)."""
    days = cal.day_of(ordinals)
    before = days - 1
    online = ~cal.is_working(before) & (rng.random(len(days)) < WEEKEND_REGISTRATION)
    return np.where(online, before, days)
