"""Year-end projection (序时进度 and forecast, issue 11 §1): where each institution and district
will stand on 31 December at the pace so far, scored with the year's method.

    inputs at the as-of day D (the evaluation's own SQL, year to date: `evaluation.read_inputs`)
    → the share of the year's volume that is usually done by D (`year_share`):
        seasonality = the mean monthly shares of the earlier complete years' 技改专项贷 (city-wide);
        with no complete earlier year, a flat pace (the elapsed share of the days)
    → projected year-end inputs: volumes × 1 / share (V1, V3 and its parts, D1, D3), growth
      recomputed against the whole of last year (V2, D2, with the same cap and small-base rule),
      the 揭榜 completion T1 on its pro-rata target carried to the year's end; rates and shares
      (M1, P1, P2, S1, S2, E1, D4, D5) and I1 stay at their year-to-date values
    → scored by the year's method (`evaluation.score`): projected score, grade, rank, selection
    → an interval: a bootstrap of this year's months — each draw resamples each subject's elapsed
      months (with replacement, weighted by their seasonal share) to project the rest of the year,
      and is scored again; the 5 %–95 % range of the draws' scores and ranks, and the share of
      draws in which an institution is selected.

On 31 December the share is 1, nothing is projected and the projection is the evaluation itself
(a test holds them equal). Every quantity is from public functions of the engine; the only SQL
of its own is the monthly volume (`queries/forecast/monthly_volume.sql`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from scoring import dashboard, distance, districts, engine, indicators, shared
from scoring.access import Scope
from scoring.evaluation import (NO_DISTRICTS, Inputs, Result, district_placings, district_race, institution_inputs, placings,
                                read_inputs, score)
from scoring.method import Method, load_method
from scoring.period import Period
from scoring.policy import Policy, load_policy

VOLUMES = ("V1", "V3", "V3_enterprises", "V3_inclusive", "T1_projects", "T1_amount")  # grow with time
DISTRICT_VOLUMES = ("D1", "D3")
TIERS = ((14, "第一梯队"), (28, "第二梯队"), (41, "第三梯队"))  # districts are ranked, not graded
DRAWS = 200
SEED = 20241105


@dataclass(frozen=True)
class Pace:
    """How much of the year's volume is usually done by the as-of day, and from what."""

    share: float  # 0 < share ≤ 1
    basis: str  # "seasonality", "flat", or "complete" (the year is over)
    years: tuple[int, ...]  # the earlier complete years the seasonality is drawn from
    month_shares: tuple[float, ...]  # 12 monthly shares (flat: days of the month / days of the year)

    @property
    def text(self) -> str:
        if self.basis == "complete":
            return "观察日已到年末：不作推算，即全年实际评价"
        if self.basis == "seasonality":
            return (f"按往年季节性（{'、'.join(map(str, self.years))} 年各月投放占全年的比例）推算，"
                    f"截至观察日通常完成全年的 {self.share:.1%}")
        return f"往年数据不足一个完整年度，按平均进度推算（已过全年天数的 {self.share:.1%}）"


@dataclass(frozen=True)
class Projection:
    """The projection of year `period.year` from its as-of day: tables and the result it scored."""

    as_of: date
    pace: Pace
    current: Result  # the year to date, as it stands on the as-of day
    projected: Result  # the projected year end
    institutions: pd.DataFrame
    districts: pd.DataFrame
    draws: int

    @property
    def interval_text(self) -> str:
        return (f"区间为本年已过各月的自助抽样（bootstrap，{self.draws} 次）：每次有放回地重抽各机构（区县）已过月份的投放，"
                "推算其余月份并重新评分，取得分与名次的 5%–95% 分位；入选概率为抽样中入选的比例")


def forecast(con: duckdb.DuckDBPyConnection, year: int, as_of: date, method: Method | None = None,
             policy: Policy | None = None, draws: int = DRAWS, seed: int = SEED) -> Projection:
    """Project `year` to its end from `as_of` (a day in `year`; later days mean the year's end)."""
    method = method or load_method()
    policy = policy or load_policy()
    pace, current, projected, spread = _projected(con, year, as_of, method, policy, draws, seed, with_districts=True)
    return Projection(as_of, pace, current, projected, _institution_table(current, projected, spread, method, pace),
                      _district_table(current.districts, projected.districts, spread, pace), draws if spread else 0)


def institutions_forecast(con: duckdb.DuckDBPyConnection, year: int, as_of: date, method: Method, policy: Policy,
                          draws: int = DRAWS, seed: int = SEED) -> pd.DataFrame:
    """`forecast(…).institutions` from the institutions' inputs alone, no district read or scored: a bank's
    今日提醒 shows its projected grade and no race, and the districts' inputs were a fifth of its projection at
    a million loans. The same pace, the same draws (`_draws`: the same months for every subject), the same table."""
    pace, current, projected, spread = _projected(con, year, as_of, method, policy, draws, seed, with_districts=False)
    return _institution_table(current, projected, spread, method, pace)


def _projected(con: duckdb.DuckDBPyConnection, year: int, as_of: date, method: Method, policy: Policy, draws: int,
               seed: int, with_districts: bool) -> tuple[Pace, Result, Result, dict | None]:
    """The inputs read (the districts' too, `with_districts`; else NO_DISTRICTS), then the pace, the year to date
    and the projected year end scored, and the draws' placings (None: no draws, or the year is over)."""
    now, year_end = _periods(year, as_of)
    with engine.session(con) as session:
        inputs = (read_inputs if with_districts else institution_inputs)(session, now, method, policy)
        monthly = _monthly(session, now)
        last = (None if now.until == date(year, 12, 31)
                else _last_year(session, year - 1, method, policy, with_districts))
    pace = pace_of(monthly, year, now.until)
    current = score(now, method, policy, inputs, draws=0)
    factors = _factors(inputs, pace)
    projected = score(year_end, method, policy, project(inputs, factors, last, method, pace, now.year_share), draws=0)
    spread = _bootstrap(inputs, monthly, pace, last, method, now, draws, seed) if last and draws else None
    return pace, current, projected, spread


def districts_forecast(con: duckdb.DuckDBPyConnection, year: int, as_of: date, method: Method, policy: Policy,
                       draws: int = DRAWS, seed: int = SEED) -> pd.DataFrame:
    """`forecast(…).districts` (R16) from the districts' inputs alone, nothing of an institution read or
    scored: a district official's 今日提醒 shows the race only, and the institutions' inputs were two
    thirds of its projection at a million loans. The same pace, the same draws, the same table."""
    now, _ = _periods(year, as_of)
    with engine.session(con) as session:
        raw = districts.district_indicators(session, now, method, policy)
        monthly = _monthly(session, now)
        last = (None if now.until == date(year, 12, 31)
                else districts.district_indicators(session, Period.of(year - 1), method, policy))
    pace = pace_of(monthly, year, now.until)
    projected = raw if last is None else _projected_districts(raw, _factor(raw["district_code"], pace), last, method)
    spread = None
    if last is not None and draws:
        spread = {"district": pd.concat([
            district_placings(_projected_districts(raw, factors["district"], last, method), method).assign(draw=b)
            for b, factors in enumerate(_draws(monthly, pace, {"district": raw["district_code"]}, now, draws, seed))],
            ignore_index=True)}
    return _district_table(district_race(raw, method), district_race(projected, method), spread, pace)


def _last_year(session: engine.Session, year: int, method: Method, policy: Policy, with_districts: bool) -> Inputs:
    """What a projection reads of the whole year `year` (the one before): each institution's V1 and each
    district's indicators (none `with_districts` off), against which V2 and D2 grow (`project`). The
    evaluation's own queries, but not its other indicators, stages and flags, which a projection never read
    (1.2–1.6 s at a million loans for the whole inputs, 0.9 s for these)."""
    period = Period.of(year)
    v1 = indicators.raw_indicator(session, period, method, policy, "V1")
    return Inputs(v1.rename("V1").reset_index(),
                  districts.district_indicators(session, period, method, policy) if with_districts else NO_DISTRICTS,
                  pd.Series(dtype=float), frozenset())


def _periods(year: int, as_of: date) -> tuple[Period, Period]:
    """The year to date as of `as_of` (cut off within `year`) and the year's end it is projected to."""
    until = min(max(as_of, date(year, 1, 1)), date(year, 12, 31))
    return Period.of(year, until=until, as_of=as_of), Period.of(year, as_of=as_of)


def _monthly(session: engine.Session, now: Period) -> pd.DataFrame:
    return session.query("forecast/monthly_volume", scope=None, year=now.year, until=now.until)


def race_to_date(con: duckdb.DuckDBPyConnection, year: int, as_of: date, method: Method | None = None,
                 policy: Policy | None = None) -> pd.DataFrame:
    """The district race (R16) of `year` to date as `forecast(con, year, as_of)` scores it — its
    districts' `rank_to_date` (columns district_code, rank_to_date) — from the districts' inputs
    alone, nothing projected and no institution read: the daily digest's place at the last digest.
    Public and small, it is kept per data version where results are shared (`scoring.shared`): every
    regulator's and district's 今日提醒 panel asks for it, and it takes seconds at a million loans."""
    method = method or load_method()
    policy = policy or load_policy()

    def build() -> pd.DataFrame:
        raw = districts.district_indicators(con, _periods(year, as_of)[0], method, policy)
        return district_race(raw, method)[["district_code", "rank"]].rename(columns={"rank": "rank_to_date"})

    return shared.frame(con, "forecast/race_to_date", (int(year), as_of.isoformat(), method.sha256, policy.sha256),
                        build)


@dataclass(frozen=True)
class View:
    """A projection as one user may see it (the pages' data): the rows of its scope only."""

    pace_text: str
    interval_text: str  # "" when the year is over (no interval)
    institutions: pd.DataFrame  # the institutions table (`_institution_table`), the scope's rows
    districts: pd.DataFrame  # the districts table: the race is public among districts (R16)


def view(con: duckdb.DuckDBPyConnection, year: int, as_of: date, *, scope: Scope, method: Method,
         policy: Policy, draws: int = DRAWS, seed: int = SEED) -> View:
    """The projection of `year` from `as_of` within `scope`: every subject is projected and ranked
    (ranks are among all), but an institution gets only its own row and no district's, a district
    the race and no institution's projection, the regulator everything (the digest's rule)."""
    whole = everyone(con, year, as_of, method, policy, draws, seed)
    visible = dashboard.institutions(con, scope)["inst_id"] if scope.role == "institution" else None
    institutions = whole.institutions
    if scope.role == "district":
        institutions = institutions.iloc[0:0]
    elif visible is not None:
        institutions = institutions[institutions["inst_id"].isin(visible)]
    districts = whole.districts.iloc[0:0] if scope.role == "institution" else whole.districts
    return View(whole.pace_text, whole.interval_text, institutions.reset_index(drop=True),
                districts.reset_index(drop=True))


def everyone(con: duckdb.DuckDBPyConnection, year: int, as_of: date, method: Method, policy: Policy,
             draws: int = DRAWS, seed: int = SEED) -> View:
    """The projection's tables of every subject, unscoped: for `view` and the digest, which narrow
    them to a user's scope. Where results are shared (the app) it is computed once per data version
    and kept in the database (`scoring.shared`), for every user and page that asks."""
    def build() -> View:
        projection = forecast(con, year, as_of, method=method, policy=policy, draws=draws, seed=seed)
        return View(projection.pace.text, projection.interval_text if projection.draws else "",
                    projection.institutions, projection.districts)

    if not shared.sharing(con):
        return build()
    parts = shared.tables(con, "forecast/view", (int(year), as_of.isoformat(), method.sha256, policy.sha256, draws, seed),
                          lambda: _parts(build()), keep=True)
    texts = parts["texts"].to_pylist()[0]
    return View(texts["pace_text"], texts["interval_text"], shared.pandas_of(parts["institutions"]),
                shared.pandas_of(parts["districts"]))


def _parts(everyone: View) -> dict[str, pa.Table]:
    return {"texts": pa.table({"pace_text": [everyone.pace_text], "interval_text": [everyone.interval_text]}),
            "institutions": shared.arrow_of(everyone.institutions), "districts": shared.arrow_of(everyone.districts)}


# --- the pace ---------------------------------------------------------------------------------


def pace_of(monthly: pd.DataFrame, year: int, until: date) -> Pace:
    """The expected share of the year's volume done by `until`: city-wide monthly shares of the
    complete earlier years (the data covers their January to December), else the days' share."""
    city = monthly[monthly["subject"] == "institution"].groupby(["year", "month"])["amount"].sum().astype(float)
    first = city.index.min() if len(city) else None
    complete = [y for y in sorted({y for y, _ in city.index}) if y < year and first is not None and first <= (y, 1)
                and city.loc[y].sum() > 0]
    elapsed = _elapsed(year, until)
    if until >= date(year, 12, 31):
        return Pace(1.0, "complete", (), tuple(np.full(12, 1 / 12)))
    if complete:
        shares = np.mean([city.loc[y].reindex(range(1, 13), fill_value=0).to_numpy() / city.loc[y].sum()
                          for y in complete], axis=0)
        return Pace(float(max(np.dot(shares, elapsed), 1e-9)), "seasonality", tuple(complete), tuple(shares))
    days = np.array([calendar.monthrange(year, m)[1] for m in range(1, 13)], dtype=float)
    shares = days / days.sum()
    return Pace(float(np.dot(shares, elapsed)), "flat", (), tuple(shares))


def _elapsed(year: int, until: date) -> np.ndarray:
    """The elapsed part (0…1) of each month of `year` by `until` (inclusive)."""
    out = np.zeros(12)
    for m in range(1, 13):
        days = calendar.monthrange(year, m)[1]
        if (year, m) < (until.year, until.month):
            out[m - 1] = 1.0
        elif (year, m) == (until.year, until.month):
            out[m - 1] = until.day / days
    return out


# --- projecting the inputs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Factors:
    institution: pd.Series  # inst_id → year-end volume / volume to date
    district: pd.Series


def _factors(inputs: Inputs, pace: Pace) -> Factors:
    return Factors(_factor(inputs.raw["inst_id"], pace), _factor(inputs.district_raw["district_code"], pace))


def _factor(ids: pd.Series, pace: Pace) -> pd.Series:
    """The point projection's factor of each subject: the year's volume over what the pace says is done."""
    return pd.Series(1.0 / pace.share, index=ids)


def growth(now: pd.Series, before: pd.Series, cap: float) -> pd.Series:
    """V2 and D2 (METHOD.md): growth on last year, capped; from zero = the cap, zero to zero = 0."""
    now, before = now.astype(float), before.astype(float)
    rate = ((now - before) / before.where(before != 0)).clip(upper=cap)
    return rate.where(before != 0, np.where(now == 0, 0.0, cap))


def project(inputs: Inputs, factors: Factors, last: Inputs | None, method: Method, pace: Pace,
            elapsed_share: float) -> Inputs:
    """Year-end inputs: volumes scaled by the factors, growth against the whole of last year, the
    揭榜 completion carried from its pro-rata target (`elapsed_share` of the year's, 序时进度) to the
    year's; `last` None = the year is over."""
    if last is None:
        return inputs
    raw = inputs.raw.set_index("inst_id").copy()
    k = factors.institution.reindex(raw.index).fillna(1.0)
    counts = set(method.registry.counts())  # whole numbers stay whole (projected counts rounded)
    for column in VOLUMES:
        if column in raw:
            raw[column] = raw[column].astype(float) * k
            if column in counts or f"{column}_raw" in counts:
                raw[column] = raw[column].round()
    full_last = last.raw.set_index("inst_id")["V1"].reindex(raw.index).fillna(0.0).astype(float)
    if "V1" in raw:
        raw["V1_before"] = full_last
        raw["V2"] = growth(raw["V1"], full_last, method.construction.growth_cap)
    if "T1" in raw:  # completion on the pro-rata target → on the whole year's, at the projected pace
        raw["T1"] = (raw["T1"].astype(float) * elapsed_share * k).clip(upper=1.0)
    return replace(inputs, raw=raw.reset_index(),
                   district_raw=_projected_districts(inputs.district_raw, factors.district, last.district_raw, method))


def _projected_districts(district_raw: pd.DataFrame, factor: pd.Series, last_raw: pd.DataFrame,
                         method: Method) -> pd.DataFrame:
    """The districts' year-end inputs (`project`): D1 and D3 scaled by `factor`, D2 against the whole
    of last year (`last_raw`) with the small-base rule."""
    counts = set(method.registry.counts())
    districts = district_raw.set_index("district_code").copy()
    kd = factor.reindex(districts.index).fillna(1.0)
    for column in DISTRICT_VOLUMES:
        if column in districts:
            districts[column] = districts[column].astype(float) * kd
            if column in counts or f"{column}_raw" in counts:
                districts[column] = districts[column].round()
    if "D1" in districts:
        before = last_raw.set_index("district_code")["D1"].reindex(districts.index).fillna(0.0).astype(float)
        districts["D1_before"] = before
        own = growth(districts["D1"], before, method.construction.growth_cap)
        city = growth(pd.Series([districts["D1"].sum()]), pd.Series([before.sum()]), method.construction.growth_cap)[0]
        districts["D2"] = own.where(before >= method.construction.district_min_base, city)
    return districts.reset_index()


# --- the interval --------------------------------------------------------------------------------


def _bootstrap(inputs: Inputs, monthly: pd.DataFrame, pace: Pace, last: Inputs, method: Method, now: Period,
               draws: int, seed: int) -> dict[str, pd.DataFrame]:
    """The draws scored again: their scores, ranks and selections (institutions) and scores and ranks
    (districts)."""
    ids = {"institution": inputs.raw["inst_id"], "district": inputs.district_raw["district_code"]}
    out = {"inst": [], "district": []}
    for b, factors in enumerate(_draws(monthly, pace, ids, now, draws, seed)):
        institutions, districts = placings(project(inputs, Factors(factors["institution"], factors["district"]), last,
                                                   method, pace, now.year_share), method)
        out["inst"].append(institutions.assign(draw=b))
        out["district"].append(districts.assign(draw=b))
    return {key: pd.concat(frames, ignore_index=True) for key, frames in out.items()}


def _draws(monthly: pd.DataFrame, pace: Pace, ids: dict[str, pd.Series], now: Period, draws: int,
           seed: int) -> Iterator[dict[str, pd.Series]]:
    """Per draw, each subject's year-end factor (`ids`: subject → its ids) from this year's elapsed months
    resampled with replacement: the same months for every subject, whichever subjects are asked."""
    rng = np.random.default_rng(seed)
    year = now.year
    elapsed = _elapsed(year, now.until)
    weights = np.asarray(pace.month_shares) * elapsed
    months = np.flatnonzero(weights > 0)
    this_year = monthly[monthly["year"] == year]
    volumes = {s: this_year[this_year["subject"] == s].pivot_table(index="subject_id", columns="month", values="amount",
                                                                   aggfunc="sum").reindex(columns=range(1, 13))
               .fillna(0).astype(float).reindex(ids[s]).fillna(0.0).to_numpy()[:, months] for s in ids}
    picks = rng.integers(0, len(months), size=(draws, len(months)))
    for b in range(draws):
        chosen = months[picks[b]]
        factors = {}
        for s in ids:
            done = volumes[s].sum(axis=1)
            resampled = volumes[s][:, picks[b]].sum(axis=1) / weights[chosen].sum()  # an annual rate
            year_end = done + (1 - pace.share) * resampled
            factors[s] = pd.Series(np.where(done > 0, year_end / np.where(done > 0, done, 1), 1.0 / pace.share),
                                   index=ids[s].to_numpy())
        yield factors


def _quantiles(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    grouped = frame.groupby(key)
    table = pd.DataFrame({
        "projected_score_low": grouped["score"].quantile(0.05, interpolation="lower"),
        "projected_score_high": grouped["score"].quantile(0.95, interpolation="higher"),
        "projected_rank_best": grouped["rank"].quantile(0.05, interpolation="lower"),
        "projected_rank_worst": grouped["rank"].quantile(0.95, interpolation="higher"),
    })
    if "selected" in frame:
        table["selection_chance"] = grouped["selected"].mean()
    return table


# --- the tables ------------------------------------------------------------------------------------


def _institution_table(current: Result, projected: Result, spread, method: Method, pace: Pace) -> pd.DataFrame:
    now = current.institutions.set_index("inst_id")
    end = projected.institutions.set_index("inst_id")
    table = pd.DataFrame({
        "name": now["name"], "peer_group": now["peer_group"], "status": end["status"],
        "score_to_date": now["score"], "rank_to_date": now["rank"], "grade_to_date": now["grade"],
        "selected_to_date": now["selected"], "V1_to_date": now.get("V1_raw"), "S1_to_date": now.get("S1_raw"),
        "projected_V1": end.get("V1_raw"),
        "projected_score": end["score"], "projected_rank": end["rank"], "projected_grade": end["grade"],
        "projected_selected": end["selected"],
    })
    if spread is not None:
        table = table.join(_quantiles(spread["inst"], "inst_id"))
    else:  # the year is over, or no draws: the interval is the point
        # over, the selection is certain (0 or 1); with no draws the year runs and there is no chance to state
        chance = table["projected_selected"].astype(float) if pace.basis == "complete" else np.nan
        table = table.assign(projected_score_low=table["projected_score"], projected_score_high=table["projected_score"],
                             projected_rank_best=table["projected_rank"], projected_rank_worst=table["projected_rank"],
                             selection_chance=chance)
    table["decisive"] = _decisive(projected.institutions, method).reindex(table.index).fillna("")
    table["what_it_takes"] = _what_it_takes(projected.institutions, now, method, pace).reindex(table.index).fillna("")
    table["pace_basis"] = pace.basis
    columns = ["inst_id", "name", "peer_group", "status", "score_to_date", "rank_to_date", "grade_to_date",
               "selected_to_date", "V1_to_date", "S1_to_date", "projected_V1", "projected_score",
               "projected_score_low", "projected_score_high", "projected_rank", "projected_rank_best",
               "projected_rank_worst", "projected_grade", "projected_selected", "selection_chance", "decisive",
               "what_it_takes", "pace_basis"]
    table = table.reset_index()
    return table[columns].sort_values(["peer_group", "projected_rank", "inst_id"], na_position="last").reset_index(drop=True)


def _decisive(table: pd.DataFrame, method: Method, count: int = 2) -> pd.Series:  # by inst_id
    """Per scored institution, the indicators where its projected contribution is furthest from the
    mean of its group's projected selections: what decides whether it is on the list."""
    out = {}
    for group, rows in table.groupby("peer_group"):
        ids = [i for i in method.weights(group).index if f"{i}_contrib" in rows]
        chosen = rows[rows["selected"].astype(bool)]
        if chosen.empty or not ids:
            continue
        mean = chosen[[f"{i}_contrib" for i in ids]].mean()
        for _, r in rows[rows["status"] == "scored"].iterrows():
            gaps = pd.Series({i: float(r[f"{i}_contrib"] - mean[f"{i}_contrib"]) for i in ids}).dropna()
            top = gaps.reindex(gaps.abs().sort_values(ascending=False).index).head(count)
            out[r["inst_id"]] = "；".join(
                f"{i} {method.indicator(i).name}（{'领先' if v >= 0 else '落后'}入选机构平均 {abs(v):.1f} 分）"
                for i, v in top.items())
    return pd.Series(out, dtype=object)


def _what_it_takes(table: pd.DataFrame, now: pd.DataFrame, method: Method, pace: Pace) -> pd.Series:
    """Per scored institution, in words, what it would take by the year's end to reach the next grade
    and (when not projected in) the selection line: the single-indicator moves of `distance`, an
    amount still to disburse for V1 ("还需发放约 3.20 亿元"), a level for a rate ("…需提升至 85.0%")."""
    out = {}
    for _, r in table.iterrows():
        if r["status"] != "scored":
            out[r["inst_id"]] = ""
            continue
        group = table[table["peer_group"] == r["peer_group"]]
        moves = distance.moves_of(r, method, distance.selection_line(group))
        sentences = []
        for goal, rows in moves.groupby("goal", sort=False):
            first = rows.iloc[0]
            texts = [_move_words(m, now, method) for m in rows.head(2).itertuples()]
            how = "或".join(texts) if first["plan"] == "单项" else "并且".join(texts)
            sentences.append(f"要达到{goal}（{first['goal_score']:.2f} 分，差 {first['gap']:.2f} 分）：{how}")
        out[r["inst_id"]] = "；".join(sentences) if sentences else "按目前进度已是最高等级且入选"
    return pd.Series(out, dtype=object)


def _move_words(move, now: pd.DataFrame, method: Method) -> str:
    if move.indicator == "V1":
        done = float(now.at[move.inst_id, "V1_raw"]) if "V1_raw" in now else 0.0
        return (f"年末技改专项贷发放金额需达 {move.needed / 1e8:,.2f} 亿元，年内还需发放约 "
                f"{max(move.needed - done, 0) / 1e8:,.2f} 亿元（按目前进度预计全年 {move.raw / 1e8:,.2f} 亿元）")
    verb = "降低至" if pd.notna(move.raw) and move.needed < move.raw else "提升至"
    return f"{move.name}需{verb} {distance.in_unit(method, move.indicator, move.needed)}"


def _district_table(current: pd.DataFrame, projected: pd.DataFrame, spread, pace: Pace) -> pd.DataFrame:
    """From the districts' race to date and projected (an evaluation's wide table, or `district_race`'s:
    ranks as the evaluation's head has them, nullable whole numbers)."""
    now = current.set_index("district_code").astype({"rank": "Int64"})
    end = projected.set_index("district_code").astype({"rank": "Int64"})
    table = pd.DataFrame({
        "name": now["name"], "score_to_date": now["score"], "rank_to_date": now["rank"],
        "D1_to_date": now.get("D1_raw"), "projected_D1": end.get("D1_raw"),
        "projected_score": end["score"], "projected_rank": end["rank"],
    })
    if spread is not None:
        table = table.join(_quantiles(spread["district"], "district_code"))
    else:
        table = table.assign(projected_score_low=table["projected_score"], projected_score_high=table["projected_score"],
                             projected_rank_best=table["projected_rank"], projected_rank_worst=table["projected_rank"])
    table["projected_grade"] = table["projected_rank"].map(tier_of)
    table["pace_basis"] = pace.basis
    columns = ["district_code", "name", "score_to_date", "rank_to_date", "D1_to_date", "projected_D1",
               "projected_score", "projected_score_low", "projected_score_high", "projected_rank",
               "projected_rank_best", "projected_rank_worst", "projected_grade", "pace_basis"]
    return table.reset_index()[columns].sort_values(["projected_rank", "district_code"]).reset_index(drop=True)


def tier_of(rank) -> str:
    """A district's place in the race in words: 第一/二/三梯队 by thirds of the 41 units."""
    if rank is None or pd.isna(rank):
        return ""
    return next(label for bound, label in TIERS if rank <= bound) if rank <= TIERS[-1][0] else TIERS[-1][1]


def write(projection: Projection, directory) -> list:
    """institutions.csv and districts.csv of a projection in `directory` (the CLI's outputs)."""
    from pathlib import Path

    from scoring.export import write_table

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [write_table(projection.institutions, directory / "institutions.csv"),
            write_table(projection.districts, directory / "districts.csv")]

