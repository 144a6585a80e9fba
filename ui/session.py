"""Who is signed in, and the evaluation year and as-of day they are looking at.

Built-in accounts (argon2 hashes in the `users` table) sign in through a form. When
`.streamlit/secrets.toml` has an `[auth]` section, `st.login` (OIDC) is used instead
and the identity's e-mail is mapped to a role through the same table.

Sign-in through the form is throttled per account and per client and audited
(`scoring.auth.attempt`). A session idle for longer than `$JIGAI_IDLE_MINUTES` (default 30;
0 switches it off) is signed out at its next interaction.
"""

from __future__ import annotations

import os
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import streamlit as st

from scoring import auth, dashboard, published
from scoring.access import Scope
from scoring.method import Method, load_method
from scoring.period import Period
from scoring.policy import Policy, load_policy
from ui import data

ACCOUNT = "account"  # session-state key of the signed-in scoring.auth.Account
CONTEXT = "context"  # session-state key of the Context the router hands to the page
YEAR = "year"  # sidebar widget keys
AS_OF = "as_of"
ROLE_NAMES = {"regulator": "监管部门", "district": "区县经信部门", "institution": "金融机构"}
LAST_ACTIVE = "last_active"  # session-state key: time.time() of the signed-in user's last interaction
TIMED_OUT = "timed_out"  # session-state key: the login page says why the user was signed out
IDLE_ENV = "JIGAI_IDLE_MINUTES"
IDLE_DEFAULT = 30.0


def until(year: int, as_of: date) -> date:
    """The last day of `year` counted on `as_of`: the as-of day within the year (序时进度), else the
    year's end."""
    return max(date(year, 1, 1), min(date(year, 12, 31), as_of))


@dataclass(frozen=True)
class Context:
    """What every page draws for: the user's scope, the evaluation year, the as-of day, and
    the method the year is judged by (its "3个1" week setting, its robustness draws) and the
    policy (R1–R11) whose rules and lines the page states and draws."""

    account: auth.Account
    year: int
    as_of: date
    window: dashboard.DataWindow
    method: Method
    policy: Policy = field(default_factory=load_policy)

    @property
    def evaluation_period(self) -> Period:
        """The evaluation year as a whole, its "3个1" stages judged on the as-of day (or the
        year's end when that is earlier)."""
        return Period.of(self.year, as_of=min(Period.of(self.year).until, self.as_of))

    @property
    def scope(self) -> Scope:
        return self.account.scope

    @property
    def sla_rules(self) -> dict:
        """What every "3个1" figure of the page is judged by (R10): the method's week setting and
        the policy's time limits, as keyword arguments of `scoring.sla` and its readers."""
        return {"week": self.method.sla_week, "policy": self.policy}

    @property
    def until(self) -> date:
        return until(self.year, self.as_of)

    @property
    def year_to_date(self) -> bool:
        return self.until < date(self.year, 12, 31)

    @property
    def period_short(self) -> str:
        """The period for a chart title: "2025 年全年" or "2026 年初至 11 月 27 日"."""
        return f"{self.year} 年初至 {self.until.month} 月 {self.until.day} 日" if self.year_to_date else f"{self.year} 年全年"

    @property
    def period(self) -> str:
        """The period every figure of the page covers, in words: "2025 年全年" or "2026 年 1 月 1 日至 11 月 27 日"."""
        if not self.year_to_date:
            return f"{self.year} 年全年"
        return f"{self.year} 年 1 月 1 日至 {self.until.month} 月 {self.until.day} 日（序时进度）"

    @property
    def role(self) -> str:
        return self.account.scope.role


def uses_oidc() -> bool:
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def idle_minutes() -> float:
    """The idle timeout in minutes (`$JIGAI_IDLE_MINUTES`; 0 or less: none)."""
    try:
        return float(os.environ.get(IDLE_ENV) or IDLE_DEFAULT)
    except ValueError:
        return IDLE_DEFAULT


def current_account() -> auth.Account | None:
    """The signed-in account, from the session (built-in login) or the OIDC identity; None
    after `idle_minutes` without an interaction."""
    if st.session_state.get(ACCOUNT) is not None or (uses_oidc() and st.user.is_logged_in):
        now, last = time.time(), st.session_state.get(LAST_ACTIVE)
        limit = idle_minutes()
        if last is not None and limit > 0 and now - last > limit * 60:
            _forget()
            st.session_state[TIMED_OUT] = limit
            if uses_oidc():
                st.logout()
            return None
        st.session_state[LAST_ACTIVE] = now
    if uses_oidc():
        if not st.user.is_logged_in:
            return None
        if st.session_state.get(ACCOUNT) is None:  # looked up until an administrator has added the user
            with data.cursor() as cur:
                st.session_state[ACCOUNT] = auth.account_for_email(cur, st.user.get("email"))
    return st.session_state.get(ACCOUNT)


def login_page() -> None:
    """The only page a visitor sees before signing in."""
    st.title("技改专项贷赛马评价平台")
    st.caption("重庆市迭代优化“技改专项贷”二十条政策措施（渝经信规范〔2024〕11号）实施评价")
    if data.building_demo():  # the embedded demo is being built in the background: it is the demo
        demo = True
    else:
        with data.cursor() as cur:
            demo = auth.is_demo(cur)
    if demo:
        st.warning("这是演示库：数据均为虚构，演示账号及其密码是公开的（见 README）。请勿在此录入真实数据；"
                   "正式使用请用 python -m scoring init 新建数据库并以 JIGAI_DB 指向它。", icon=":material/science:")
    timed_out = st.session_state.pop(TIMED_OUT, None)
    if timed_out:
        st.info(f"超过 {timed_out:g} 分钟未操作，已自动退出，请重新登录。", icon=":material/timer_off:")
    if uses_oidc():
        _oidc_login()
    else:
        _password_login()


def _oidc_login() -> None:
    if st.user.is_logged_in:  # known to the provider, but not mapped to a role here
        st.error(f"账号 {st.user.get('email')} 尚未开通本平台权限，请联系市经济信息委管理员。")
        st.button("退出登录", on_click=st.logout)
    else:
        st.button("统一身份认证登录", type="primary", on_click=st.login)


def _password_login() -> None:
    with st.form("login", border=True, width=420):
        st.subheader("登录")
        username = st.text_input("用户名")
        password = st.text_input("密码", type="password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        with st.spinner("正在准备演示数据库，首次启动约需数秒……") if data.building_demo() else nullcontext(), \
                data.cursor() as cur:
            result = auth.attempt(cur, username, password, _client(), _throttle(auth.LoginPolicy.from_env()))
        if result.account is None:
            st.error(result.message)
        else:
            st.session_state[ACCOUNT] = result.account
            st.session_state[LAST_ACTIVE] = time.time()
            st.rerun()


def _client() -> str:
    """The client's address as the server sees it (behind a proxy: the proxy's), for throttling."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "未知"


@st.cache_resource(show_spinner=False)
def _throttle(policy: auth.LoginPolicy) -> auth.Throttle:
    """One throttle per process (and per policy), shared by every session."""
    return auth.Throttle(policy)


def _forget() -> None:
    for key in (ACCOUNT, CONTEXT, LAST_ACTIVE):
        st.session_state.pop(key, None)


def logout(login: st.Page) -> None:
    """Forget the user and show the login page (OIDC: also end the provider's session)."""
    _forget()
    if uses_oidc():
        st.logout()
    st.switch_page(login)


def sidebar(account: auth.Account, login: st.Page) -> Context:
    """The sidebar of a signed-in user: who they are, the year and the as-of day, logout
    (which lands on `login`)."""
    with data.cursor() as cur:
        window = dashboard.data_window(cur)
    today = window.clamp(date.today())
    with st.sidebar:
        st.markdown(f"**{account.display_name}**  \n{ROLE_NAMES[account.scope.role]} · {account.username}")
        years = window.years or [today.year]
        # every role opens on the current year to date; last year's full result is one click away
        current = window.opening_year(today) or today.year
        year = st.selectbox("评价年度", years, index=years.index(current), key=YEAR,
                            format_func=lambda y: f"{y} 年（序时进度）" if y == current and today < date(y, 12, 31)
                            else f"{y} 年")
        if year == current and current - 1 in years:
            st.button(f"查看上年（{current - 1} 年）全年结果", icon=":material/history:",
                      on_click=lambda: st.session_state.update({YEAR: current - 1}))
        elif year != current:
            st.button(f"回到本年（{current} 年）", icon=":material/today:",
                      on_click=lambda: st.session_state.update({YEAR: current}))
        as_of = st.date_input("观察日", value=today, min_value=window.first_day, max_value=window.last_day or today,
                              key=AS_OF, format="YYYY-MM-DD",
                              help="“3个1”办理状态按此日计算；不晚于数据的最后一天。")
        if data.warming():  # right after an import: say why a first page is slow, rather than leave it blank
            st.info("数据刚更新，平台正在后台重新计算赛马、年末预测等结果；完成前首次打开的页面会慢一些。",
                    icon=":material/hourglass_top:")
        if st.button("退出登录", icon=":material/logout:"):
            logout(login)
    return Context(account, year, as_of, window, year_method(year))


def year_method(year: int) -> Method:
    """The method of `year`'s published evaluation, or the default method file before one is published."""
    return _method(data.load(published.year_method_text, year, scope=None))


def method_of(text: str | None) -> Method:
    """The method of a stored run's text (None: the default file), parsed once per text."""
    return _method(text)


@cache
def _method(text: str | None) -> Method:
    return load_method(text)


def context(*roles: str) -> Context:
    """The page's context; stops the page for a role it is not meant for (defence in depth:
    the router already lists only the role's pages)."""
    ctx: Context | None = st.session_state.get(CONTEXT) if st.session_state.get(ACCOUNT) else None
    if ctx is None:  # reached without the router's login
        st.warning("请先登录。")
        st.stop()
    if roles and ctx.role not in roles:
        st.error("当前账号无权查看此页面。")
        st.stop()
    return ctx
