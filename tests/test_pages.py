"""Every page under every role that may see it, rendered by Streamlit's AppTest on the demo
database: no exception, the key figures present, and for an institution user not one
other institution's id or name anywhere on the page (scoping, R7/R10/R13 pages).

Plotly charts are opaque to AppTest; their JSON is scanned for leaks here and their
content is tested through the figure builders (tests/test_figures.py).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe, UnknownElement

from scoring import auth, bootstrap, db, runs
from ui import nav

pytestmark = pytest.mark.slow  # page renders: the fast loop skips them (README)

APP = Path(__file__).resolve().parent.parent / "app.py"
ROLE_USERS = {"regulator": "regulator", "district": "district", "institution": "bank"}
# What each page must show: its title and the figures or headings it exists for.
KEY_TEXT = {
    "pages/overview.py": ("总览 · 2025 年全年", "技改专项贷投放", "报送贷款（含不符合条件）", "“3个1”按时办结率",
                          "贴息与奖补（测算）"),
    "pages/race.py": ("赛马 · 2025 年", "累计投放", "综合得分", "年初至当月末", "综合得分赛马", "2025年12月"),
    "pages/ranking.py": ("排名 · 2025 年", "下一年度合作机构", "名次区间", "V1 技改专项贷发放金额", "各指标得分贡献与遴选说明",
                         "等级分布", "约谈名单", "距下一等级和入选线还差多少", "不参与排名"),
    "pages/profile.py": ("机构画像", "综合得分", "遴选（R13）", "“3个1”限时办结", "产品与案例"),
    "pages/whatif.py": ("情景模拟", "名次变化的机构", "将新进入名单", "模拟名次", "权重合计"),
    # the queue's 待拨付 and 市级承担 are in a tab read when opened (test_the_long_money_lists_are_named_on_the_rows_shown)
    "pages/payments.py": ("贴息与拨付 · 2025 年", "贴息与奖补合计（测算）", "拨付队列与市区分担（R7）", "不予贴息（R1）",
                          "再贷款数据问题（R8）", "按区县", "按类别"),
    "pages/budget.py": ("贴息预算模拟 · 2025 年", "现行规则补贴总额", "模拟方案补贴总额", "预算可拨付", "待拨付"),
    "pages/quality.py": ("数据质量 · 2025 年", "检查规则（Q1–Q8）", "数据质量得分"),
    "pages/interviews.py": ("约谈名单", "约谈机构", "约谈事由"),
    "pages/runs.py": ("评价运行", "E2025-001", "已发布", "下载通报稿（Word）"),
    "pages/district_race.py": ("区县赛马 · 2025 年", "赛马名次", "两江新区", "区县赛马地图", "名次相邻的区县",
                               "逐月名次", "西部科学城重庆高新区"),
    "pages/reserve.py": ("储备库台账", "入库项目", "融资对接率", "两江新区", "尚未获贷的入库项目与可对接机构",
                         "可对接机构"),
    "pages/district_service.py": ("机构服务 · 两江新区", "服务机构", "本区县“3个1”按时办结率", "本区县项目的贴息与奖补"),
    "pages/my_sla.py": ("我的“3个1”限时办结", "按时办结率（2025 年全年）", "待办：办理中与临期环节", "超时：尚未办结",
                        "查看这", "按超时时间着色"),
    "pages/my_rank.py": ("我的排名", "综合得分", "组内名次", "本机构贡献（分）", "入选机构平均（分）", "距下一等级和入选线",
                         "逐月综合得分", "入选线（估算）"),
    "pages/my_subsidy.py": ("我的贴息", "测算贴息（封顶后）", "兑付队列中的位置", "分项目测算", "企业", "下载“我的贴息_2025”"),
    "pages/data_import.py": ("数据导入", "导入记录"),
    "pages/security.py": ("登录审计", "最近 24 小时（按账号）", "审计链核验"),
    "pages/tracker.py": ("报送进度", "尚未报送", "近 12 个期间", "全部报送与回执", "未报送"),
    "pages/my_submissions.py": ("报送记录", "各期报送状态", "报送历史与回执", "按时报送"),
    "pages/self_assessment.py": ("定性自评 · 2025 年度", "自评与评审对照", "Q1 组织保障与政策落实", "评分指引"),
    "pages/qualitative_review.py": ("定性评审 · 2025 年度", "自评与评审对照", "逐家评审", "Q2 创新举措与典型经验"),
    "pages/appeals.py": ("复核 · 2025 年度", "E2025-001", "复核申请截止", "更正评价"),
    "pages/my_appeals.py": ("复核申请 · 2025 年度", "E2025-001", "本机构的复核申请"),
}


@pytest.fixture(scope="module")
def published_path(demo_path, tmp_path_factory):
    """A copy of the demo database with the 2025 evaluation published (run E2025-001), so
    that institution and district pages have results to show (they read published runs only)."""
    path = tmp_path_factory.mktemp("pages") / "published.duckdb"
    shutil.copy(demo_path, path)
    con = bootstrap.connect(path)
    runs.evaluate_and_store(con, 2025, draws=200, publish=True)
    con.close()
    return path


@pytest.fixture(scope="module")
def accounts(published_path):
    con = bootstrap.connect(published_path)
    found = {username: auth.account(con, username) for username in ("regulator", "district", "bank", "leasing")}
    institutions = con.execute("select inst_id, name from institutions").fetchall()
    con.close()
    return found, institutions


def open_app(path: Path, account: auth.Account | None, year: int | None = 2025) -> AppTest:
    """The app signed in as `account`, on the published year 2025 (None: the year it opens on)."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    if account is not None:
        at.session_state["account"] = account
    if year is not None:
        at.session_state["year"] = year
    return at.run()


@pytest.fixture()
def app(published_path, monkeypatch):
    monkeypatch.setenv(db.DB_ENV, str(published_path))
    return lambda account: open_app(published_path, account)


def page_text(at: AppTest) -> str:
    """All text a user could read: element protos, table cells, chart JSON (without the
    base64 number arrays, which carry no names)."""
    parts = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            walk(child)
        proto = getattr(node, "proto", None)
        if proto is None:
            return
        if isinstance(node, Dataframe):
            parts.append(node.value.to_csv())
        elif isinstance(node, UnknownElement) and node.type == "plotly_chart":
            parts.append(json.dumps(_without_bdata(json.loads(proto.spec)), ensure_ascii=False))
        else:
            parts.append(json.dumps(MessageToDict(proto), ensure_ascii=False))

    walk(at._tree)
    return "\n".join(parts)


def _without_bdata(value):
    if isinstance(value, dict):
        return {k: _without_bdata(v) for k, v in value.items() if k != "bdata"}
    if isinstance(value, list):
        return [_without_bdata(v) for v in value]
    return value


def role_pages():
    return [(role, page.path) for role in ROLE_USERS for page in nav.pages_of(role)]


@pytest.mark.parametrize(("role", "path"), role_pages())
def test_page_renders_without_error(app, accounts, role, path):
    found, _ = accounts
    at = app(found[ROLE_USERS[role]])
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = page_text(at)
    for expected in KEY_TEXT.get(path, ()):
        assert expected in text, f"{path}: {expected!r} missing"


@pytest.mark.parametrize("username", ["bank", "leasing"])
@pytest.mark.parametrize("path", [page.path for page in nav.pages_of("institution")])
def test_an_institution_never_sees_another_institution(app, accounts, username, path):
    found, institutions = accounts
    me = found[username].scope.inst_id
    at = app(found[username])
    at.switch_page(path).run()
    assert not at.exception
    text = page_text(at)
    leaks = [(inst_id, name) for inst_id, name in institutions
             if inst_id != me and (re.search(rf"(?<![A-Za-z0-9]){re.escape(inst_id)}(?![A-Za-z0-9])", text)
                                   or name in text)]
    assert not leaks, f"{path} shows {leaks}"


def test_the_leak_check_sees_institutions_where_they_belong(app, accounts):
    """Positive control of the check above: the regulator's ranking names every bank."""
    found, institutions = accounts
    at = app(found["regulator"])
    at.switch_page("pages/ranking.py").run()
    text = page_text(at)
    banks = [name for inst_id, name in institutions if inst_id.startswith("B")]
    assert all(name in text for name in banks)


def test_login_form_signs_in_and_logout_signs_out(app):
    at = app(None)
    assert [t.value for t in at.title] == ["技改专项贷赛马评价平台"]
    at.text_input[0].input("bank")
    at.text_input[1].input("wrong-password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["用户名或密码错误。"]
    at.text_input[1].input("demo-bank")
    at.button[0].click().run()
    assert not at.exception
    assert "我的“3个1”限时办结" in [t.value for t in at.title]
    next(b for b in at.sidebar.button if b.label == "退出登录").click().run()
    assert [t.value for t in at.title] == ["技改专项贷赛马评价平台"]


def test_the_menu_offers_a_bank_no_regulator_page(app, accounts):
    found, _ = accounts
    at = app(found["bank"])
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/ranking.py")


def test_unpublished_results_are_not_shown_outside_the_regulator(demo_path, monkeypatch):
    """The plain demo has no published run: a bank and a district see a notice, no draft (R13)."""
    monkeypatch.setenv(db.DB_ENV, str(demo_path))
    con = bootstrap.connect(demo_path)
    bank, district = auth.account(con, "bank"), auth.account(con, "district")
    con.close()
    at = open_app(demo_path, bank)
    at.switch_page("pages/my_rank.py").run()
    assert not at.exception
    assert "2025 年度综合评价尚未发布" in page_text(at)
    at = open_app(demo_path, district)
    at.switch_page("pages/district_race.py").run()
    assert "2025 年度区县赛马结果尚未发布" in page_text(at)


def test_a_bank_import_is_checked_against_its_own_rows(app, accounts, published_path):
    """A bank uploading another institution's loan is refused with a row-level report and the
    database is unchanged; its own product is accepted (DATA.md, scoping of the importer)."""
    found, _ = accounts
    con = bootstrap.connect(published_path)
    loan = con.execute("select * from loans where inst_id <> 'B01' limit 1").df()
    loans_before = con.execute("select count(*) from loans").fetchall()[0][0]
    con.close()
    at = app(found["bank"])
    at.switch_page("pages/data_import.py").run()
    at.file_uploader[0].upload("loans.csv", loan.to_csv(index=False).encode(), "text/csv")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    text = page_text(at)
    assert "导入被拒绝" in text and "loans.csv" in text
    con = bootstrap.connect(published_path)
    assert con.execute("select count(*) from loans").fetchall()[0][0] == loans_before
    con.close()
    product = "product_id,inst_id,name,category,launched_on,innovative\nPTEST1,B01,技改设备贷（测试）,other,2026-01-05,false\n"
    at.file_uploader[0].upload("products.csv", product.encode(), "text/csv")
    at.get("form_submit_button")[0].click().run()
    assert "导入成功" in page_text(at)


OIDC_SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret",
                         "client_id": "platform", "client_secret": "secret",
                         "server_metadata_url": "https://sso.example/.well-known/openid-configuration"}}


def test_with_oidc_configured_an_identity_maps_to_its_account_by_email(published_path, monkeypatch):
    """`[auth]` in the secrets switches the login to st.login; the e-mail picks the account
    (and so the scope) in the users table; an unknown e-mail gets no page."""
    monkeypatch.setenv(db.DB_ENV, str(published_path))
    con = bootstrap.connect(published_path)
    auth.add_user(con, "zhang", "long-password", "institution", inst_id="B02", email="zhang@bank.example")
    b02 = con.execute("select name from institutions where inst_id = 'B02'").fetchall()[0][0]
    con.close()

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets = OIDC_SECRETS
    at.user = {"is_logged_in": False}
    at.run()
    assert [b.label for b in at.button] == ["统一身份认证登录"]
    at.user = {"is_logged_in": True, "email": "Zhang@Bank.example"}
    at.run()
    assert not at.exception
    assert "我的“3个1”限时办结" in [t.value for t in at.title]
    assert b02 in at.sidebar.markdown[0].value

    stranger = AppTest.from_file(str(APP), default_timeout=120)
    stranger.secrets = OIDC_SECRETS
    stranger.user = {"is_logged_in": True, "email": "nobody@elsewhere.example"}
    stranger.run()
    assert [e.value for e in stranger.error] == ["账号 nobody@elsewhere.example 尚未开通本平台权限，请联系市经济信息委管理员。"]
    assert "我的“3个1”限时办结" not in [t.value for t in stranger.title]


def test_the_regulator_runs_an_evaluation_and_a_second_publication_is_refused(app, accounts, published_path):
    """评价运行: a new run is kept as a draft; publishing it is refused because 2025 is already
    published (R13: one published list per year); the draft can be deleted."""
    found, _ = accounts
    at = app(found["regulator"])
    at.switch_page("pages/runs.py").run()
    at.number_input[0].set_value(100)
    at.get("form_submit_button")[0].click().run(timeout=120)
    assert not at.exception
    saved = [s.value for s in at.success]
    assert len(saved) == 1 and saved[0].endswith("（草稿）。")
    draft = saved[0].removeprefix("已保存评价运行 ").removesuffix("（草稿）。")
    at.selectbox(key="runs_run").set_value(draft).run()
    at.button(key="publish").click().run()
    assert any("同一年度只能发布一次" in e.value for e in at.error)
    at.button(key="delete").click().run()
    assert not at.exception
    con = bootstrap.connect(published_path)
    assert con.execute("select count(*) from evaluation_runs where run_id = $r", {"r": draft}).fetchall()[0][0] == 0
    con.close()


def test_r9_a_deadline_in_a_year_without_schedule_is_marked_provisional(demo_path, tmp_path, monkeypatch):
    """An application registered on 2026-12-31 is due to connect in 2027, a year with no published
    holiday schedule: the bank's page warns and marks the deadline 暂定 (R9 all the way to the screen)."""
    from datetime import date

    from ui import session

    path = tmp_path / "provisional.duckdb"
    shutil.copy(demo_path, path)
    con = bootstrap.connect(path)
    ent_id = con.execute("select ent_id from applications where inst_id = 'B01' limit 1").fetchone()[0]
    con.execute("insert into applications (app_id, ent_id, inst_id, registered_on) "
                "values ('AP-PROV-1', $ent, 'B01', '2026-12-31')", {"ent": ent_id})
    bank = auth.account(con, "bank")
    con.close()
    monkeypatch.setenv(db.DB_ENV, str(path))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["account"] = bank
    at.session_state[session.AS_OF] = date(2026, 12, 31)
    at.run()
    at.switch_page("pages/my_sla.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("暂定" in w.value for w in at.warning), "the page warns about the provisional year"
    due = next(t.value for t in at.dataframe if "剩余工作日" in t.value.columns)
    late = next(t.value for t in at.dataframe if "超时（工作日）" in t.value.columns)  # finished late, named like the lists above
    assert len(late) and late["企业名称"].notna().all() and list(late.columns[:2]) == ["申请编号", "企业名称"]
    # 2026-12-31 (Thu) + 1 working day: 2027 has no schedule, so the weekday rule gives Fri 2027-01-01.
    assert list(due.loc[due["申请编号"] == "AP-PROV-1", "办结时限"]) == ["2027-01-01（暂定）"]


@pytest.mark.parametrize("username", ["regulator", "bank"])
def test_each_role_opens_on_the_current_year_to_date_with_last_year_one_click_away(app, accounts, published_path,
                                                                                      monkeypatch, username):
    found, _ = accounts
    at = open_app(published_path, found[username], year=None)
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox[0].value == 2026  # the demo's data reach into 2026: the current year
    assert "序时进度" in page_text(at)
    back = next(b for b in at.sidebar.button if "2025 年" in b.label)
    back.click().run()
    assert at.sidebar.selectbox[0].value == 2025
    assert "2025 年" in page_text(at) and not at.exception


def test_the_context_s_policy_reaches_the_page_figures(app, accounts, monkeypatch):
    """Pages pass their context's policy (and the method's week) to every "3个1" and subsidy call;
    no engine function falls back to the built-in file. With a policy that gives banks 3 working
    days to connect and caps a project's loan subsidy at 1 yuan a year, the bank's 对接 stage is
    named and judged by 3 days, and the regulator's subsidy total shrinks to a few yuan."""
    import dataclasses

    from scoring.policy import DEFAULT_POLICY, load_policy
    from ui import session

    found, _ = accounts
    built_in = load_policy()
    changed = load_policy(DEFAULT_POLICY.read_text(encoding="utf-8")  # a file of its own: its own SHA-256
                          .replace("connect_working_days = 1 ", "connect_working_days = 3 ")
                          .replace("loan = 10_000_000 ", "loan = 1 ").replace("lease = 5_000_000 ", "lease = 1 "))
    assert changed.stage_labels()["connect"] == "对接（3个工作日）" and changed.sha256 != built_in.sha256

    def figures(policy, username: str, path: str) -> AppTest:
        context = session.context
        monkeypatch.setattr(session, "context", lambda *roles: dataclasses.replace(context(*roles), policy=policy))
        try:
            at = app(found[username])
            at.switch_page(path).run()
        finally:
            monkeypatch.setattr(session, "context", context)
        assert not at.exception, [e.value for e in at.exception]
        return at

    def metric(at: AppTest, label_start: str) -> str:
        return next(m.value for m in at.metric if m.label.startswith(label_start))

    default_sla, slower_sla = (figures(p, "bank", "pages/my_sla.py") for p in (built_in, changed))
    assert metric(slower_sla, "对接（3个工作日）") != metric(default_sla, "对接（1个工作日）")
    default_overview, capped_overview = (figures(p, "regulator", "pages/overview.py") for p in (built_in, changed))
    assert metric(capped_overview, "贴息与奖补") != metric(default_overview, "贴息与奖补")


def test_the_long_money_lists_are_named_on_the_rows_shown(app, accounts):
    """The claims in the queue (R7) and the refused payments (R1) reach the page as Arrow and are named
    only on the rows drawn (issue 14): every row still names its enterprise, and the regulator's queue
    says 是/否 for 合作机构. On 贴息与拨付 they are read only when their tab is opened."""
    found, _ = accounts
    at = app(found["bank"])
    at.switch_page("pages/my_subsidy.py").run()
    bank = [t.value for t in at.dataframe]
    at = app(found["regulator"])
    at.switch_page("pages/payments.py").run()
    assert not at.exception and not any("付息编号" in t.value.columns for t in at.dataframe)  # no list read yet
    opened = {}
    for tab, shown in (("拨付队列与市区分担（R7）", ("待拨付", "市级承担", "区县承担")),
                       ("不予贴息（R1）", ("付款时项目尚未入库", "查看明细"))):
        at.session_state["payments_tab"] = tab
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        opened[tab] = [t.value for t in at.dataframe]
        assert all(text in page_text(at) for text in shown), tab
    lists = {
        "bank queue": next(t for t in bank if "队列序号" in t.columns),
        "bank refused": next(t for t in bank if "实付利息（万元）" in t.columns),
        "queue": next(t for t in opened["拨付队列与市区分担（R7）"] if "付息编号" in t.columns),
        "refused": next(t for t in opened["不予贴息（R1）"] if "实付利息（万元）" in t.columns),
    }
    for name, rows in lists.items():
        assert len(rows) and rows["企业"].map(lambda text: isinstance(text, str) and text != "").all(), name
    queue = lists["queue"]
    assert set(queue["合作机构"]) <= {"是", "否"} and queue["机构"].map(bool).all()
    assert queue["付息日"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()  # days as the other tables show them


def test_the_sidebar_says_so_while_the_slow_results_are_computed_again(app, accounts, monkeypatch):
    """Right after an import the background warm-up computes the races and projections again; until it
    has, every role's sidebar says why a first page may be slow, and afterwards it says nothing."""
    from ui import data

    found, _ = accounts
    notice = "正在后台重新计算"
    for warming in (True, False):
        monkeypatch.setattr(data, "warming", lambda warming=warming: warming)
        for username in ("regulator", "district", "bank"):
            at = app(found[username])
            assert not at.exception
            shown = [box.value for box in at.sidebar.info]
            assert any(notice in text for text in shown) == warming, (username, shown)
