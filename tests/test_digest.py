"""The daily digest (scoring/digest.py, issue 11 §4): "since the last digest" on the R9 calendar,
new breaches and refusals by hand, nothing on a rest day unless forced, every exported cell
sanitised, and the scope test — each recipient's files name no one else (as the pages' test)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from scoring import bootstrap, digest, districts, forecast
from scoring.access import REGULATOR, Scope
from scoring.export import Column, people_frame
from test_subsidy import Ledger, bare_ledger, ledger  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent
ENT = "91500103MA5U000001"


def test_the_last_digest_was_on_the_previous_working_day(empty_con):
    assert digest.previous_working_day(empty_con, date(2025, 3, 3)) == date(2025, 2, 28)  # Monday → Friday
    assert digest.previous_working_day(empty_con, date(2025, 10, 9)) == date(2025, 9, 30)  # after the National Day
    assert digest.previous_working_day(empty_con, date(2025, 9, 28)) == date(2025, 9, 26)  # a makeup Sunday


def apply(book: Ledger, app_id, registered, connected=None):
    book.con.execute("insert into applications (app_id, ent_id, project_id, inst_id, registered_on, connected_on, "
                     "decision) values (?, ?, 'P1', 'B1', ?, ?, 'pending')", [app_id, ENT, registered, connected])


def lists(con, as_of, scope=REGULATOR):
    return digest.gather(con, as_of, scope, draws=0)


@pytest.fixture(scope="module")
def bare_projection():
    """The projection of the bare ledger (tests/test_subsidy.py), computed once for the module."""
    con = bootstrap.connect(":memory:", demo_if_missing=False)
    bare_ledger(con)
    projection = forecast.forecast(con, 2025, date(2025, 3, 5), draws=0)
    con.close()
    return projection


@pytest.fixture()
def projected_once(monkeypatch, bare_projection):
    """The by-hand tests of the lists read no projection, so their digests take the bare ledger's,
    computed once (a gather runs one or two forecasts: most of these tests' time). The projection in
    the digest is checked by test_money_in_the_text (computed) and the scope tests on the demo (slow)."""
    monkeypatch.setattr(forecast, "forecast", lambda *args, **kwargs: bare_projection)


def test_new_breaches_and_due_stages_by_hand(ledger, projected_once):
    """A1 registered Monday 2025-03-03 and not connected: due 03-04 (R10, 1 working day). On 03-04 it is
    at risk; on 03-05 it is a new breach (its deadline 03-04 was still to come at the last digest);
    on 03-06 it is no longer new, only outstanding. A2 registered 03-05: at risk on 03-05."""
    apply(ledger, "A1", date(2025, 3, 3))
    apply(ledger, "A2", date(2025, 3, 5))
    on_4 = lists(ledger.con, date(2025, 3, 4))
    assert on_4.due["app_id"].tolist() == ["A1"] and on_4.new_breaches.empty
    on_5 = lists(ledger.con, date(2025, 3, 5))
    assert on_5.new_breaches["app_id"].tolist() == ["A1"] and on_5.due["app_id"].tolist() == ["A2"]
    on_6 = lists(ledger.con, date(2025, 3, 6))
    assert "A1" not in on_6.new_breaches["app_id"].tolist()
    assert "A1" in on_6.outstanding["app_id"].tolist()


def test_refusals_since_the_last_digest(ledger, projected_once):
    """R1: a payment on an unfiled project is refused. Friday 03-07's digest lists what was paid after
    the last digest (Thursday 03-06, which listed p6): p7 only."""
    ledger.con.execute("update projects set filed_on = null")
    ledger.loan("L")
    ledger.payment("p6", "L", date(2025, 3, 6), "1000")
    ledger.payment("p7", "L", date(2025, 3, 7), "1000")
    refused = lists(ledger.con, date(2025, 3, 7)).refused
    assert refused["payment_id"].tolist() == ["p7"]
    assert refused["reason_text"].iloc[0] == "项目未完成技改备案"


@pytest.mark.slow  # writes the digest of every unit (45 workbooks)
def test_nothing_on_a_rest_day_unless_forced(ledger, tmp_path):
    apply(ledger, "A1", date(2025, 3, 3))
    assert digest.write_all(ledger.con, date(2025, 3, 8), tmp_path / "sat", draws=0) is None  # a Saturday
    assert not (tmp_path / "sat").exists()
    written = digest.write_all(ledger.con, date(2025, 3, 8), tmp_path / "forced", force=True, draws=0)
    names = {p.name for p in written}
    assert {"B1.xlsx", "B1.txt", "F1.xlsx", "500103.xlsx", "500191.txt", "regulator.xlsx", "regulator.txt"} <= names
    assert len([n for n in names if n.endswith(".xlsx")]) == 3 + 41 + 1  # B1, B2, F1; 41 units; the regulator


@pytest.mark.slow  # writes the digest of every unit (45 workbooks)
def test_exported_cells_never_become_formulas(ledger, tmp_path):
    """An enterprise name is the bank's to choose: "=HYPERLINK(…)" stays text in the workbook."""
    ledger.con.execute("update enterprises set name = '=HYPERLINK(\"http://x\",\"点我\")'")
    apply(ledger, "A1", date(2025, 3, 3))
    digest.write_all(ledger.con, date(2025, 3, 4), tmp_path, draws=0)
    sheet = openpyxl.load_workbook(tmp_path / "B1.xlsx")["今明到期"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type != "f" for c in cells)
    assert "HYPERLINK" in (tmp_path / "B1.txt").read_text(encoding="utf-8")


# --- the scope test on the demo database -------------------------------------------------------------

AS_OF = date(2026, 11, 27)  # the demo's last day (tests/conftest.py), a Friday


@pytest.fixture(scope="module")
def written(demo_copy, tmp_path_factory):
    _, con = demo_copy
    out = tmp_path_factory.mktemp("digest")
    digest.write_all(con, AS_OF, out, draws=10)
    institutions = con.execute("select inst_id, name from institutions where kind in ('bank', 'leasing')").fetchall()
    units = con.execute("select district_code, name from districts").fetchall()
    return out, institutions, units, con


def file_text(out: Path, recipient: str) -> str:
    book = openpyxl.load_workbook(out / f"{recipient}.xlsx")
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    return "\n".join(cells) + "\n" + (out / f"{recipient}.txt").read_text(encoding="utf-8")


def mentions(text: str, code: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", text) is not None


@pytest.mark.slow
def test_an_institution_s_files_name_no_other_institution(written):
    out, institutions, _, _ = written
    for inst_id, _ in institutions:
        text = file_text(out, inst_id)
        leaks = [(i, n) for i, n in institutions if i != inst_id and (mentions(text, i) or n in text)]
        assert not leaks, f"{inst_id} sees {leaks}"


@pytest.mark.slow
def test_a_district_s_files_name_no_other_district(written):
    out, _, units, con = written
    for code, _ in units:
        text = file_text(out, code)
        assert not [c for c, _ in units if c != code and mentions(text, c)], code
        book = pd.read_excel(out / f"{code}.xlsx", sheet_name=None, engine="openpyxl")
        for sheet in book.values():  # every project and stage listed is the unit's own
            if "项目编号" in sheet.columns:
                ids = sheet["项目编号"].dropna().tolist()
                owners = {r[0] for r in con.execute("select distinct district_code from projects where "
                                                    "project_id in (select unnest(?))", [ids]).fetchall()}
                assert owners <= {code}, (code, owners)


@pytest.mark.slow
def test_the_scope_check_sees_names_where_they_belong(written):
    """Positive control: the regulator's file names every institution and the institutions' files their own."""
    out, institutions, _, _ = written
    text = file_text(out, "regulator")
    assert all(mentions(text, i) for i, _ in institutions)
    assert "招商银行重庆分行" in file_text(out, "B09")
    assert "Q1" in file_text(out, "B09")  # its data-quality findings (the demo's deliberate ones)


@pytest.mark.slow
def test_the_batch_narrows_to_what_each_scope_reads_itself(written):
    """The files (gathered once as the regulator, then narrowed) hold what the recipient's own scoped
    queries return — the 今日提醒 panel's way."""
    _, _, _, con = written
    everything = digest.gather(con, AS_OF, REGULATOR, draws=0)
    for scope in (Scope("institution", inst_id="B09"), Scope("district", district_code="500191")):
        narrowed = everything.within(scope)
        own = digest.gather(con, AS_OF, scope, draws=0)
        for name in ("due", "new_breaches", "outstanding", "refused", "findings", "unfinanced", "reports",
                     "institutions", "race"):
            a, b = getattr(narrowed, name), getattr(own, name)
            key = [c for c in a.columns if c in b.columns]
            assert len(a) == len(b), (scope, name)
            if len(a):
                pd.testing.assert_frame_equal(a[key].astype(str).sort_values(key).reset_index(drop=True),
                                              b[key].astype(str).sort_values(key).reset_index(drop=True))


@pytest.mark.slow
def test_cli_writes_nothing_on_a_rest_day(demo_copy, tmp_path):
    path, con = demo_copy
    copy = tmp_path / "demo.duckdb"
    con.execute("checkpoint")
    copy.write_bytes(Path(path).read_bytes())

    def run(*args):
        return subprocess.run([sys.executable, "-m", "scoring", "digest", "--db", str(copy), *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=600)
    saturday = run("--as-of", "2026-11-28", "--out", str(tmp_path / "sat"))
    assert saturday.returncode == 0 and "不是工作日" in saturday.stdout and not (tmp_path / "sat").exists()
    forced = run("--as-of", "2026-11-27", "--out", str(tmp_path / "fri"))
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "fri" / "B01.xlsx").exists() and (tmp_path / "fri" / "500191.xlsx").exists()
    assert (tmp_path / "fri" / "regulator.txt").read_text(encoding="utf-8").startswith("【技改专项贷每日提醒】")


def test_money_in_the_text(ledger):
    """Sanity of the people's columns: an interest amount shows in 万元 in the text."""
    ledger.con.execute("update projects set filed_on = null")
    ledger.loan("L")
    ledger.payment("p7", "L", date(2025, 3, 7), D("123456"))
    facts = digest.gather(ledger.con, date(2025, 3, 7), Scope("institution", inst_id="B1"), draws=0)
    text = digest.compose(facts, Scope("institution", inst_id="B1"), "B1 测试", date(2025, 3, 7), date(2025, 3, 6)).text
    assert "付息金额（万元）：12.35" in text


def test_late_and_missing_reports_by_hand(ledger, projected_once):
    """Issue 15 §1 in the digest. Reporting from 2025-01; January is due on the 10th working day of
    February (R9: the Spring Festival ends 4 Feb, Saturday 8 Feb is a makeup day: 5, 6, 7, 8, 10, 11,
    12, 13, 14, 17 → 17 February). B1 reports it on 10 February (on time); B2 never; F1 on Thursday
    6 March. Working days late after 17 Feb: 18–21, 24–28 Feb, 3, 4, 5 Mar → 12 on Wednesday 5 March."""
    from datetime import datetime

    from scoring import receipts, reporting

    con = ledger.con
    reporting.set_setting(con, "first_period", "2025-01", "regulator")
    for inst, day in (("B1", "2025-02-10 09:00"), ("F1", "2025-03-06 10:00")):
        report = receipts.submit(con, [], user=f"user{inst}", inst_id=inst, declared=["2025-01"],
                                 clock=lambda day=day: datetime.fromisoformat(day))
        assert report.ok
    on_5 = lists(con, date(2025, 3, 5)).reports  # F1 has not reported yet; February is not due (14 March)
    assert on_5[["inst_id", "period", "status", "working_days_late"]].values.tolist() == [
        ["B2", "2025-01", "missing", 12], ["F1", "2025-01", "missing", 12]]
    on_6 = lists(con, date(2025, 3, 6)).reports  # F1's report came today, 13 working days late
    assert on_6[["inst_id", "status", "working_days_late"]].values.tolist() == [["B2", "missing", 13],
                                                                                ["F1", "late", 13]]
    assert lists(con, date(2025, 3, 7)).reports["inst_id"].tolist() == ["B2"]  # F1's is no longer news
    # each sees its own: B2 its missing January, B1 nothing, a district no reporting list at all
    b2 = digest.digest_for(con, date(2025, 3, 6), Scope("institution", inst_id="B2"), "B2", draws=0)
    assert "月度报送：逾期未报 1 期（最长逾期 13 个工作日）" in b2.headline
    assert b2.sheets["逾期报送"][0]["inst_id"].tolist() == ["B2"]
    assert lists(con, date(2025, 3, 6), Scope("institution", inst_id="B1")).reports.empty
    assert lists(con, date(2025, 3, 6), Scope("district", district_code="500103")).reports.empty
    regulator = digest.digest_for(con, date(2025, 3, 6), REGULATOR, "监管", draws=0)
    assert ("月度报送：逾期未报 1 期，涉及 1 家机构（最长逾期 13 个工作日）；自上次提醒以来逾期补报 1 期"
            in regulator.headline)
    summary = regulator.sheets["机构汇总"][0].set_index("inst_id")["reports"]
    assert summary.to_dict() == {"B1": 0, "B2": 1, "F1": 0}


@pytest.mark.slow  # a projection of the demo
def test_the_panel_states_no_selection_chance_without_draws(written):
    """The 今日提醒 panel projects without draws: a point estimate, so no 入选概率 column or phrase;
    the morning files, drawn, keep theirs. Every list converts to Arrow as the page's grid needs."""
    out, _, _, con = written
    panel = digest.panel(con, AS_OF, REGULATOR)
    headers = [column.header for _, columns in panel.sheets.values() for column in columns]
    assert "预计等级" in headers and "入选概率" not in headers
    assert not any("入选概率" in line for line in panel.headline)
    for name, (frame, columns) in panel.sheets.items():  # the page's grid takes each list as Arrow, one type per column
        assert pa.Table.from_pandas(people_frame(frame, columns)).num_rows == len(frame), name
    assert len(panel.sheets["新增超时"][0]), "the demo's day has new breaches, whose 办结日期 mixes days and blanks"
    book = openpyxl.load_workbook(out / "regulator.xlsx", read_only=True)
    assert any("入选概率" in str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows(max_row=3)
               for cell in row if cell.value)


@pytest.mark.slow
def test_each_panel_holds_its_recipient_s_own_digest(written):
    """The 今日提醒 panel narrows the day's facts (`digest.day_facts`): every list and headline is what
    the recipient's own scoped queries give, in the same order. A district's race line is its own
    place: the panel of every district once read the leader's first row of the whole race."""
    _, _, _, con = written
    since = digest.previous_working_day(con, AS_OF)
    race = digest.gather(con, AS_OF, REGULATOR, draws=0).race.set_index("district_code")["rank_to_date"]
    trailing = race.idxmax()
    for scope in (REGULATOR, Scope("institution", inst_id="B09"), Scope("district", district_code="500191"),
                  Scope("district", district_code=trailing)):
        panel = digest.panel(con, AS_OF, scope)
        own = digest.compose(digest.gather(con, AS_OF, scope, draws=0), scope, "", AS_OF, since)
        assert panel.headline == own.headline, scope
        assert panel.sheets.keys() == own.sheets.keys()
        for title, (frame, _) in panel.sheets.items():
            mine = own.sheets[title][0]
            pd.testing.assert_frame_equal(frame[mine.columns.intersection(frame.columns)].reset_index(drop=True),
                                          mine[mine.columns.intersection(frame.columns)].reset_index(drop=True),
                                          check_dtype=False, obj=f"{scope} {title}")
    line = digest.panel(con, AS_OF, Scope("district", district_code=trailing)).headline[0]
    assert line.startswith(f"区县赛马年初至今第 {race[trailing]} 名"), line


@pytest.mark.slow
def test_a_panel_gathers_only_the_lists_its_recipient_gets(written, monkeypatch):
    """A district's 今日提醒 never waits for the banks' lists (refused payments, data-quality findings,
    monthly reports, the institutions' projection, nor their inputs for the race's), and a bank's never for the districts'
    (the race a digest ago, the pooled projects not yet financed, nor their inputs for the institutions' projection): half of a district's first render at a million
    loans was the banks' lists. Each gathering stops at the first list its recipient does not get."""
    _, _, _, con = written

    def refuse(what):
        def fail(*args, **kwargs):
            raise AssertionError(f"{what} gathered for a recipient who does not get it")
        return fail

    district = Scope("district", district_code="500191")
    with monkeypatch.context() as patched:
        for name in ("refused", "findings", "institutions", "reports"):
            patched.setitem(digest.LISTS, name, refuse(name))
        patched.setattr(forecast, "everyone", refuse("the institutions' projection"))  # the districts' alone
        facts = digest.day_facts(con, AS_OF, district)
        assert len(facts.race) == 1 and facts.refused.empty and facts.findings.empty
        assert digest.compose(facts, district, "", AS_OF, digest.previous_working_day(con, AS_OF)).headline
    bank = Scope("institution", inst_id="B09")
    with monkeypatch.context() as patched:
        patched.setitem(digest.LISTS, "unfinanced", refuse("unfinanced"))
        patched.setattr(forecast, "race_to_date", refuse("the race a digest ago"))
        patched.setattr(forecast, "forecast", refuse("the districts' projection"))  # the institutions' alone
        patched.setattr(districts, "district_indicators_at", refuse("the districts' inputs"))
        for facts in (digest.gather(con, AS_OF, bank, draws=0), digest.day_facts(con, AS_OF, bank)):
            assert list(facts.institutions["inst_id"]) == ["B09"] and facts.race.empty and facts.unfinanced.empty


@pytest.mark.slow
def test_the_digest_s_projection_and_race_are_the_forecast_s(written):
    """A gathering reads its days off one session's books (`engine.session(cut_offs=True)`): the
    year's loans once for the race a digest ago and the projection. Its tables equal the projection
    and the race to date each computed alone."""
    _, _, _, con = written
    facts = digest.gather(con, AS_OF, REGULATOR, draws=0)
    alone = forecast.forecast(con, AS_OF.year, AS_OF, draws=0)
    pd.testing.assert_frame_equal(facts.institutions, alone.institutions.reset_index(drop=True))
    pd.testing.assert_frame_equal(facts.race.drop(columns="rank_before"), alone.districts.reset_index(drop=True))
    before = forecast.race_to_date(con, AS_OF.year, digest.previous_working_day(con, AS_OF))
    assert facts.race.set_index("district_code")["rank_before"].to_dict() == \
        before.set_index("district_code")["rank_to_date"].astype(float).to_dict()


def test_days_and_blanks_in_a_list_are_one_type_for_the_page():
    """新增超时 lists stages done late and stages still open: its 办结日期 holds days and blanks, which
    the page's grid (Arrow) refused as one column of mixed objects; the list carries them as ISO text."""
    stages = pd.DataFrame({"stage": ["connect", "decide"], "deadline": [date(2025, 3, 3), date(2025, 3, 4)],
                           "provisional": [False, True], "done_on": [date(2025, 3, 5), None]})
    shown = digest._stages(stages)
    assert list(shown["done_on_text"]) == ["2025-03-05", ""]
    assert list(shown["deadline_text"]) == ["2025-03-03", "2025-03-04（暂定）"]
    columns = [Column("deadline_text", "时限"), Column("done_on_text", "办结日期")]
    assert pa.Table.from_pandas(people_frame(shown, columns)).column("办结日期").to_pylist() == ["2025-03-05", ""]
    with pytest.raises(pa.ArrowTypeError):  # what the page met before: the days themselves beside blanks
        pa.Table.from_pandas(people_frame(shown, [Column("done_on", "办结日期")]))
