"""The daily digest (每日提醒, issue 11 §4): one short list every working morning for each
institution, each district and the regulator.

- an institution: the "3个1" stages due today or the next working day (at risk, R10), the stages
  that became breaches since the last digest, the subsidy claims refused since then with their
  reasons (R1), its data-quality findings of the year (Q1–Q8) and its projected grade (the
  year-end projection of `scoring.forecast`);
- a district: its place in the race (R16) year to date and the change since the last digest (its
  place to date on the previous working day, `forecast.race_to_date`: the projection's `rank_to_date`
  of that day, from the districts' inputs alone), the projected year-end place, its pooled projects not yet financed (融资对接台账) and its firms'
  stages breached since the last digest and still outstanding;
- the regulator: every institution's counts and projection, the race, all new breaches and refusals;
- institutions and the regulator: the monthly reports late or missing (issue 15 §1, `scoring.reporting`):
  every period whose deadline passed with nothing submitted (未报送, working days late so far), and
  every period submitted late since the last digest (逾期报送). An institution sees its own, the
  regulator all; a district none (institutions report to the regulator, not to the district).

"Since the last digest" = after the previous working day (R9): a Monday digest covers the
weekend. On a day that is not a working day nothing is written unless forced.

Scoping: `gather(con, as_of, scope)` runs every query with the recipient's `Scope` (the data layer
filters, as for the pages). The batch for all recipients (`write_all`) gathers once as the regulator
and narrows the frames to each recipient with `Facts.within(scope)`, the predicate of the staging
views (`queries/staging/scoped_*`) in one place; a test holds both ways equal, and another checks
that no file names anyone else. A gathering runs only the lists its recipient gets (`SEEN_BY`): a
district's never waits for the banks' refused payments. The 今日提醒 panel narrows the same way
(`day_facts`, each group of lists with the same recipients kept per data version and day), so a
user's panel holds the lists of the user's morning file.
Every file goes through `scoring.export` (formulas neutralised).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring import calendar, dashboard, engine, forecast, quality, reporting, shared, sla, subsidy
from scoring.access import REGULATOR, ROLES, Scope
from scoring.export import Column, people_frame, write_people_workbook
from scoring.method import load_method
from scoring.policy import Policy, load_policy

WEEKDAYS = "一二三四五六日"
STAGES = load_policy().stage_labels()
LONGEST = 500  # rows of one list in a digest; the headline gives the whole count
DRAWS = 50  # the projection's bootstrap in the digest (the grade is the point projection; the range is indicative)


@dataclass(frozen=True)
class Facts:
    """Everything a digest draws from, for one scope (or all, for the regulator); a list the scope does
    not get is an empty frame."""

    due: pd.DataFrame  # stages at risk: due today or the next working day
    new_breaches: pd.DataFrame
    outstanding: pd.DataFrame  # breaches not yet done (districts' list)
    refused: pd.DataFrame  # interest payments refused since the last digest
    findings: pd.DataFrame
    institutions: pd.DataFrame  # the projection's institutions table
    race: pd.DataFrame  # the projection's districts table, with the rank at the last digest
    unfinanced: pd.DataFrame  # pooled projects without a 技改专项贷
    reports: pd.DataFrame  # monthly reports missing, or submitted late since the last digest

    def within(self, scope: Scope) -> Facts:
        """The facts a recipient may see: everything the regulator's digest reads, or a bank's or a
        district's own rows."""
        def narrow(frame: pd.DataFrame, name: str) -> pd.DataFrame:
            seen = _seen(name, scope, frame.columns)
            if seen is None:
                return pd.DataFrame()
            return frame[frame[seen[0]] == seen[1]].reset_index(drop=True) if seen else frame
        return Facts(**{f.name: narrow(getattr(self, f.name), f.name) for f in fields(self)})


def _seen(name: str, scope: Scope, columns) -> tuple[str, ...] | None:
    """The rows of list `name` that `scope` may see: None, none (a list for other recipients); (),
    all (the regulator); (column, value), a bank's or a district's own."""
    if scope.role not in _seen_by(name):
        return None
    if scope.role == "regulator":
        return ()
    key = "inst_id" if scope.inst_id else "district_code"
    return (key, scope.inst_id or scope.district_code) if key in columns else None


# the recipients of the lists not every kind of recipient gets (the others reach every kind: a bank
# or a district its own rows); a district's digest names no refused payment (its firms' banks claim)
SEEN_BY = {"refused": ("institution", "regulator"), "findings": ("institution", "regulator"),
           "institutions": ("institution", "regulator"), "race": ("district", "regulator"),
           "unfinanced": ("district",), "reports": ("institution", "regulator")}


def _seen_by(name: str) -> tuple[str, ...]:
    return SEEN_BY.get(name, ROLES)


def _sees_both(scope: Scope) -> bool:
    """Whether `scope`'s lists include both the institutions' projection and the race (else each needs its own
    subjects' alone: a bank's, a district official's)."""
    return scope.role in _seen_by("institutions") and scope.role in _seen_by("race")


def previous_working_day(con, as_of: date) -> date:
    """The working day before `as_of` (R9): the day of the last digest."""
    days = calendar.Calendar.from_db(con)
    day = as_of - timedelta(days=1)
    while not days.is_working_day(day):
        day -= timedelta(days=1)
    return day


class _Day:
    """One gathering of a day's lists within a scope: its session, and the results several lists read,
    each computed once (the judged stages' two lists, the projection's two tables)."""

    def __init__(self, session: engine.Session, as_of: date, scope: Scope, policy: Policy, draws: int, whole: bool):
        self.session, self.as_of, self.scope, self.policy, self.draws = session, as_of, scope, policy, draws
        self.whole = whole  # both the institutions' projection and the race are gathered: both read everyone's
        self.method = load_method()  # the built-in method: one for the stages' week and the projections
        self.since = previous_working_day(session, as_of)

    @cached_property
    def watch(self) -> sla.Watchlists:
        return sla.at_risk_and_breached(self.session, self.as_of, scope=self.scope, week=self.method.sla_week,
                                        policy=self.policy)

    @cached_property
    def projection(self) -> forecast.View:
        # in the app it is kept per data version and read back (`forecast.everyone`)
        return forecast.everyone(self.session, self.as_of.year, self.as_of, self.method, self.policy, self.draws)

    @cached_property
    def projected_race(self) -> pd.DataFrame:
        """The projected districts: the whole projection's when its institutions are gathered too, else
        from the districts' inputs alone (the same table; a district's panel waited for the institutions')."""
        if self.whole:
            return self.projection.districts
        return forecast.districts_forecast(self.session, self.as_of.year, self.as_of, self.method, self.policy,
                                           self.draws)

    @cached_property
    def projected_institutions(self) -> pd.DataFrame:
        """The projected institutions: the whole projection's when the race is gathered too, else from the
        institutions' inputs alone (the same table; a bank's panel waited for the districts')."""
        if self.whole:
            return self.projection.institutions
        return forecast.institutions_forecast(self.session, self.as_of.year, self.as_of, self.method, self.policy,
                                              self.draws)


def _due(day: _Day) -> pd.DataFrame:
    return day.watch.due[day.watch.due["status"] == "at_risk"].reset_index(drop=True)


def _new_breaches(day: _Day) -> pd.DataFrame:
    params = sla.prepare(day.session, day.as_of, week=day.method.sla_week, policy=day.policy)  # the lists' stages
    return day.session.query("digest/new_breaches", scope=day.scope, since=day.since, **params)


def _refused(day: _Day) -> pd.DataFrame:
    return subsidy.refused_payments(day.session, day.since, day.as_of, scope=day.scope,
                                    policy=day.policy).reset_index(drop=True)


def _institutions(day: _Day) -> pd.DataFrame:
    """The projection's institutions, a bank its own (the projection is not scoped in SQL)."""
    table = day.projected_institutions
    if day.scope.role == "institution":
        table = table[table["inst_id"] == day.scope.inst_id]
    return table.reset_index(drop=True)


def _race(day: _Day) -> pd.DataFrame:
    """The projected race with each district's place a digest ago, a district its own row (R16)."""
    before = (forecast.race_to_date(day.session, day.as_of.year, day.since, day.method, day.policy)
              if day.since.year == day.as_of.year else None)  # the race to date on the last digest's day
    race = day.projected_race.copy()
    race["rank_before"] = (before.set_index("district_code")["rank_to_date"].reindex(race["district_code"]).to_numpy()
                           if before is not None else np.nan)
    if day.scope.role == "district":
        race = race[race["district_code"] == day.scope.district_code]
    return race.reset_index(drop=True)


# how each list is gathered, in the order a gathering runs them: the race to date of the last digest's
# day reads this year's loans before the projection reads this year's and then last year's (in a session
# over many days, `engine.session(cut_offs=True)`, a year's book is built once when its days come together)
LISTS = {
    "due": _due,
    "new_breaches": _new_breaches,
    "outstanding": lambda day: day.watch.overdue,
    "race": _race,
    "refused": _refused,
    "findings": lambda day: quality.findings(day.session, day.as_of.year, day.scope, day.policy),
    "institutions": _institutions,
    "unfinanced": lambda day: day.session.query("digest/unfinanced", scope=day.scope, as_of=day.as_of),
    "reports": lambda day: late_or_missing(day.session, day.as_of, day.since, day.scope),
}


def gather(con: duckdb.DuckDBPyConnection, as_of: date, scope: Scope, policy: Policy | None = None,
           draws: int = DRAWS) -> Facts:
    """The digest's facts as of `as_of` within `scope`, every query scoped in the data layer: the lists
    `scope` gets, and for the regulator every list (the batch narrows them to each recipient)."""
    with engine.session(con, cut_offs=True) as session:
        day = _Day(session, as_of, scope, policy or load_policy(), draws, whole=_sees_both(scope))
        return Facts(**{name: gathered(day) if scope.role in _seen_by(name) or scope.role == "regulator"
                        else pd.DataFrame() for name, gathered in LISTS.items()})


REPORT_FIELDS = ["inst_id", "name", "period", "deadline", "first_at", "status", "status_label", "working_days_late"]


def late_or_missing(con: duckdb.DuckDBPyConnection, as_of: date, since: date, scope: Scope) -> pd.DataFrame:
    """The monthly reports a digest names (issue 15 §1): missing as of `as_of` (deadline passed, nothing
    submitted), and those submitted late after the last digest (`since`, exclusive) up to `as_of`;
    most working days late first."""
    status = reporting.reporting_status(con, as_of, scope)
    arrived = pd.to_datetime(status["first_at"]).dt.normalize()
    new_late = (status["status"] == "late") & (arrived > pd.Timestamp(since)) & (arrived <= pd.Timestamp(as_of))
    chosen = status[(status["status"] == "missing") | new_late]
    return chosen.sort_values(["working_days_late", "inst_id", "period"], ascending=[False, True, True])[
        REPORT_FIELDS].reset_index(drop=True)


# --- the digest of one recipient ---------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    recipient: str  # inst_id, district_code or "regulator": the file's name
    title: str
    as_of: date
    since: date
    headline: list[str]  # the summary lines (plain text, the panel)
    sheets: dict[str, tuple[pd.DataFrame, list[Column]]]  # sheet title → rows and their Chinese columns

    @property
    def text(self) -> str:
        """The plain-text summary, ready to paste into a message or an e-mail."""
        lines = [f"【技改专项贷每日提醒】{self.title}", f"{_day_words(self.as_of)}（上次提醒：{_day_words(self.since)}）", ""]
        lines += [f"{i}. {line}" for i, line in enumerate(self.headline, 1)]
        for title, (frame, columns) in self.sheets.items():
            if len(frame) and title not in ("机构汇总", "区县赛马"):
                lines += ["", f"【{title}】（共 {len(frame)} 条，前 5 条）"]
                shown = people_frame(frame.head(5), columns)
                kinds = {c.header: c.kind for c in columns}
                lines += ["  " + "；".join(f"{c}：{_cell(v, kinds[c])}" for c, v in row.items() if _cell(v, kinds[c]))
                          for _, row in shown.iterrows()]
        lines += ["", "明细见同名 Excel 文件。本提醒由技改专项贷赛马评价平台生成。"]
        return "\n".join(lines) + "\n"


def _cell(value, kind: str) -> str:
    """A cell of the plain-text list as the workbook shows it ('' for an empty one)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if kind == "percent":
        return f"{value:.0%}"
    if kind == "int":
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _day_words(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


STAGE_COLUMNS = [Column("app_id", "申请编号"), Column("ent_name", "企业"), Column("stage_text", "环节"),
                 Column("deadline_text", "办结时限")]
REFUSED_COLUMNS = [Column("payment_id", "付息编号"), Column("loan_id", "贷款编号"), Column("project_id", "项目编号"),
                   Column("paid_on", "付息日期", kind="text"), Column("interest_paid", "付息金额（万元）", kind="wan"),
                   Column("reason_text", "不予贴息原因")]
FINDING_COLUMNS = [Column("rule_id", "规则"), Column("table_text", "数据表"), Column("key", "记录编号"),
                   Column("explanation", "说明")]
TABLES = {"loans": "贷款", "applications": "融资申请", "interest_payments": "付息", "enterprises": "企业"}


def compose(facts: Facts, scope: Scope, title: str, as_of: date, since: date) -> Digest:
    """The digest of one recipient from facts already narrowed to it."""
    recipient = scope.inst_id or scope.district_code or "regulator"
    due = _stages(facts.due)
    new = _stages(facts.new_breaches)
    if scope.role == "institution":
        row = facts.institutions.iloc[0] if len(facts.institutions) else None
        findings = facts.findings.assign(table_text=facts.findings["table"].map(TABLES))
        headline = [
            f"今明两日到期（临期）的“3个1”环节 {len(due)} 个",
            f"自上次提醒以来新增超时环节 {len(new)} 个",
            f"自上次提醒以来不予贴息的付息 {len(facts.refused)} 笔",
            f"本年度数据质量问题 {len(findings)} 条",
            _reports_line(facts.reports),
            _grade_line(row),
        ]
        sheets = {
            "今明到期": (due, STAGE_COLUMNS + [Column("working_days_left", "剩余工作日", kind="int")]),
            "新增超时": (new, STAGE_COLUMNS + [Column("done_on_text", "办结日期", kind="text"),
                                            Column("working_days_late", "超时工作日", kind="int")]),
            "不予贴息": (facts.refused, REFUSED_COLUMNS),
            "数据质量": (findings, FINDING_COLUMNS),
            "逾期报送": (facts.reports, REPORT_COLUMNS),
            "预计等级": (facts.institutions, PROJECTION_COLUMNS),
        }
    elif scope.role == "district":
        race = facts.race.iloc[0] if len(facts.race) else None
        unfinanced = facts.unfinanced.sort_values(["total_investment", "project_id"], ascending=[False, True])
        outstanding = _stages(facts.outstanding)
        headline = [
            _race_line(race),
            f"储备库中尚未获得技改专项贷的项目 {len(unfinanced)} 个",
            f"本区县企业自上次提醒以来新增超时环节 {len(new)} 个，尚未办结的超时环节 {len(outstanding)} 个",
        ]
        sheets = {
            "赛马位次": (facts.race, RACE_COLUMNS),
            "未获融资的入库项目": (unfinanced, [Column("project_id", "项目编号"), Column("ent_name", "企业"),
                                        Column("pooled_on", "入库日期", kind="text"),
                                        Column("total_investment", "总投资（万元）", kind="wan")]),
            "新增超时": (new, [Column("inst_name", "金融机构"), *STAGE_COLUMNS,
                            Column("working_days_late", "超时工作日", kind="int")]),
            "尚未办结的超时": (outstanding, [Column("inst_name", "金融机构"), *STAGE_COLUMNS,
                                     Column("working_days_late", "超时工作日", kind="int")]),
        }
    else:
        summary = _summary(facts)
        headline = [
            f"全市今明两日到期（临期）的“3个1”环节 {len(due)} 个，新增超时 {len(new)} 个",
            f"自上次提醒以来不予贴息的付息 {len(facts.refused)} 笔",
            f"本年度数据质量问题 {len(facts.findings)} 条，涉及 {facts.findings['inst_id'].nunique()} 家机构",
            f"按目前进度预计列入约谈（四级）的机构 {int((facts.institutions['projected_grade'] == '四级').sum())} 家",
            _reports_line(facts.reports, whom=True),
        ]
        sheets = {
            "机构汇总": (summary, SUMMARY_COLUMNS),
            "区县赛马": (facts.race, RACE_COLUMNS),
            "新增超时": (new, [Column("inst_name", "金融机构"), *STAGE_COLUMNS,
                            Column("working_days_late", "超时工作日", kind="int")]),
            "不予贴息": (facts.refused, [Column("inst_id", "机构编号"), *REFUSED_COLUMNS]),
            "逾期报送": (facts.reports, [Column("inst_id", "机构编号"), Column("name", "机构"), *REPORT_COLUMNS]),
        }
    sheets = {title: (frame.head(LONGEST), columns) for title, (frame, columns) in sheets.items()}  # a short list
    return Digest(recipient, title, as_of, since, headline, sheets)


PROJECTION_COLUMNS = [Column("score_to_date", "年初至今得分", kind="score"), Column("grade_to_date", "年初至今等级"),
                      Column("projected_score", "预计年末得分", kind="score"),
                      Column("projected_score_low", "区间下限", kind="score"),
                      Column("projected_score_high", "区间上限", kind="score"),
                      Column("projected_grade", "预计等级"), Column("selection_chance", "入选概率", kind="percent"),
                      Column("what_it_takes", "还需做到")]
RACE_COLUMNS = [Column("district_code", "区县代码"), Column("name", "区县"), Column("rank_to_date", "年初至今名次", kind="int"),
                Column("rank_before", "上次提醒时名次", kind="int"), Column("projected_rank", "预计年末名次", kind="int"),
                Column("projected_grade", "预计梯队")]
REPORT_COLUMNS = [Column("period", "报送期间"), Column("deadline", "报送截止日", kind="text"),
                  Column("status_label", "状态"), Column("first_at", "报送时间", kind="text"),
                  Column("working_days_late", "逾期工作日", kind="int")]
SUMMARY_COLUMNS = [Column("inst_id", "机构编号"), Column("name", "机构"), Column("due", "临期环节", kind="int"),
                   Column("new_breaches", "新增超时", kind="int"), Column("refused", "不予贴息", kind="int"),
                   Column("findings", "数据质量问题", kind="int"), Column("reports", "逾期未报", kind="int"),
                   Column("projected_grade", "预计等级"),
                   Column("selection_chance", "入选概率", kind="percent")]


def _stages(frame: pd.DataFrame) -> pd.DataFrame:
    """Stage rows with their stage in words and the deadline as a day, marked 暂定 when it falls in a
    year without a published holiday schedule (R9, as the pages mark it)."""
    if "stage" not in frame:
        return frame
    deadline = frame["deadline"].map(_day_text)
    marked = deadline + np.where(frame["provisional"].fillna(False).astype(bool), "（暂定）", "")
    frame = frame.assign(stage_text=frame["stage"].map(STAGES), deadline_text=marked)
    # a text column of days and blanks: one type, which the page's grid (Arrow) needs
    return frame.assign(done_on_text=frame["done_on"].map(_day_text)) if "done_on" in frame else frame


def _day_text(day) -> str:
    return day.isoformat() if pd.notna(day) else ""


def _grade_line(row) -> str:
    if row is None or pd.isna(row["projected_score"]):
        return "本年度不参与综合评价排名，无预计等级"
    chance = "" if pd.isna(row["selection_chance"]) else f"，入选概率约 {row['selection_chance']:.0%}"
    return (f"按目前进度，预计年末综合得分 {row['projected_score']:.1f} 分（{row['projected_score_low']:.1f}–"
            f"{row['projected_score_high']:.1f}），{row['projected_grade']}{chance}")


def _reports_line(reports: pd.DataFrame, whom: bool = False) -> str:
    """The reporting line of the headline: periods still missing, and those reported late since the last digest."""
    missing = reports[reports["status"] == "missing"]
    late = len(reports) - len(missing)
    if reports.empty:
        return "月度报送：没有逾期未报的期间"
    owners = f"，涉及 {missing['inst_id'].nunique()} 家机构" if whom and len(missing) else ""
    worst = f"（最长逾期 {int(missing['working_days_late'].max())} 个工作日）" if len(missing) else ""
    return (f"月度报送：逾期未报 {len(missing)} 期{owners}{worst}"
            + (f"；自上次提醒以来逾期补报 {late} 期" if late else ""))


def _race_line(row) -> str:
    if row is None:
        return "区县赛马暂无数据"
    change = ""
    if pd.notna(row["rank_before"]):
        moved = int(row["rank_before"]) - int(row["rank_to_date"])
        change = "，与上次提醒持平" if moved == 0 else f"，比上次提醒{'上升' if moved > 0 else '下降'} {abs(moved)} 位"
    return (f"区县赛马年初至今第 {int(row['rank_to_date'])} 名（共 41 个）{change}；按目前进度预计年末第 "
            f"{int(row['projected_rank'])} 名（{row['projected_grade']}）")


def _summary(facts: Facts) -> pd.DataFrame:
    table = facts.institutions[["inst_id", "name", "projected_grade", "selection_chance"]].set_index("inst_id")
    for name, frame in (("due", facts.due), ("new_breaches", facts.new_breaches), ("refused", facts.refused),
                        ("findings", facts.findings), ("reports", facts.reports[facts.reports["status"] == "missing"])):
        table[name] = frame.groupby("inst_id").size().reindex(table.index).fillna(0).astype(int)
    return table.reset_index().sort_values(["new_breaches", "due", "inst_id"], ascending=[False, False, True])


# --- the files ------------------------------------------------------------------------------------


def recipients(con: duckdb.DuckDBPyConnection) -> list[tuple[Scope, str]]:
    """Every institution (banks and leasing companies), every district and the regulator, with titles."""
    out = [(Scope("institution", inst_id=r.inst_id), f"{r.inst_id} {r.name}")
           for r in dashboard.institutions(con, REGULATOR).itertuples()]
    out += [(Scope("district", district_code=r.district_code), f"{r.district_code} {r.name}")
            for r in dashboard.districts(con).itertuples()]
    return out + [(REGULATOR, "监管部门（全市）")]


def digest_for(con: duckdb.DuckDBPyConnection, as_of: date, scope: Scope, title: str,
               policy: Policy | None = None, draws: int = DRAWS) -> Digest:
    """One recipient's digest, every query scoped to it."""
    return compose(gather(con, as_of, scope, policy, draws), scope, title, as_of, previous_working_day(con, as_of))


def day_facts(con: duckdb.DuckDBPyConnection, as_of: date, scope: Scope) -> Facts:
    """The facts of `as_of` that `scope` may see, projected without draws (the 今日提醒 panel): the
    regulator's lists narrowed as the morning files are (`Facts.within`), gathered only for the lists
    `scope` gets — a district's panel never waits for the banks' refused payments and data-quality
    findings (half of its first render at a million loans). Where results are shared (the app) each
    group of lists with the same recipients is gathered once per data version and day and kept in the
    database, so that the first page of each role, in any process, reads them, and the rows a scope
    sees are picked before they become pandas (the pooled projects not yet financed, 250 k rows
    citywide, are the districts' list alone). The import keeps them for its data version and day too
    (`scoring.importer.keep_results_of_import`)."""
    lists: dict[str, pa.Table] = {}
    with engine.session(con, cut_offs=True) as session:
        day = _Day(session, as_of, REGULATOR, load_policy(), draws=0, whole=_sees_both(scope))
        for roles, names in _groups().items():
            if scope.role not in roles:
                continue

            def build(names=names) -> dict[str, pa.Table]:
                return {name: shared.arrow_of(LISTS[name](day)) for name in names}

            lists |= (shared.tables(session, "digest/day_facts", (as_of.isoformat(), roles, day.policy.sha256,
                                                                  day.method.sha256), build, keep=True, at_import=True)
                      if shared.sharing(session) else build())
    return Facts(**{name: _picked(lists[name], _seen(name, scope, lists[name].column_names)) if name in lists
                    else pd.DataFrame() for name in LISTS})


def _groups() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The lists by their recipients (`SEEN_BY`), in the order of `LISTS`."""
    groups: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in LISTS:
        groups[_seen_by(name)] = (*groups.get(_seen_by(name), ()), name)
    return groups


def _picked(table: pa.Table, seen: tuple[str, ...] | None) -> pd.DataFrame:
    """The rows of a kept list that `_seen` gives a scope, picked before they become pandas."""
    if seen is None:
        return pd.DataFrame()
    return shared.pandas_of(table.filter(pc.equal(table[seen[0]], seen[1])) if seen else table)


@dataclass(frozen=True)
class Panel:
    """The digest as the 今日提醒 panel shows it."""

    headline: list[str]
    sheets: dict[str, tuple[pd.DataFrame, list[Column]]]
    since: date
    working_day: bool


def panel(con: duckdb.DuckDBPyConnection, as_of: date, scope: Scope) -> Panel:
    """The signed-in user's digest of `as_of`: the day's facts narrowed to the user's scope, the
    morning file's lists by construction (the projection without its bootstrap, so the page stays quick)."""
    since = previous_working_day(con, as_of)
    found = compose(day_facts(con, as_of, scope), scope, "", as_of, since)
    # no draws, no selection chance to show (`forecast`: NaN while the year runs)
    sheets = {name: (frame, [c for c in columns if c.source != "selection_chance"])
              for name, (frame, columns) in found.sheets.items()}
    return Panel(found.headline, sheets, since, calendar.Calendar.from_db(con).is_working_day(as_of))


def write_all(con: duckdb.DuckDBPyConnection, as_of: date, out: str | Path, force: bool = False,
              policy: Policy | None = None, draws: int = DRAWS) -> list[Path] | None:
    """Every recipient's `<id>.xlsx` and `<id>.txt` in `out`; None (nothing written) on a day that is
    not a working day (R9), unless `force`."""
    if not force and not calendar.Calendar.from_db(con).is_working_day(as_of):
        return None
    facts = gather(con, as_of, REGULATOR, policy, draws)
    since = previous_working_day(con, as_of)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for scope, title in recipients(con):
        digest = compose(facts.within(scope), scope, title, as_of, since)
        written += write(digest, out)
    return written


def write(digest: Digest, out: Path) -> list[Path]:
    """`<recipient>.xlsx` (one sheet per list, plus 摘要) and `<recipient>.txt`."""
    summary = pd.DataFrame({"item": digest.headline})
    sheets = {"摘要": (summary, [Column("item", f"{digest.title} · {digest.as_of.isoformat()}")]), **digest.sheets}
    xlsx = write_people_workbook(sheets, out / f"{digest.recipient}.xlsx")
    text = out / f"{digest.recipient}.txt"
    text.write_text(digest.text, encoding="utf-8")
    return [Path(xlsx), text]

