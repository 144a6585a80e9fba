"""Who is signed in, and the evaluation year and as-of day they are looking at.

Built-in accounts (argon2 hashes in the `users` table) sign in through a form. When
`.streamlit/secrets.toml` has an `[auth]` section, `st.login` (OIDC) is used instead
and the identity's e-mail is mapped to a role through the same table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

import streamlit as st

from scoring import auth, dashboard, published
from scoring.access import Scope
from scoring.method import Method, load_method
from scoring.policy import Policy, load_policy
from ui import data

ACCOUNT = "account"  # session-state key of the signed-in scoring.auth.Account
CONTEXT = "context"  # session-state key of the Context the router hands to the page
YEAR = "year"  # sidebar widget keys
AS_OF = "as_of"
ROLE_NAMES = {"regulator": "监管部门", "district": "区县经信部门", "institution": "金融机构"}


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
    def scope(self) -> Scope:
        return self.account.scope

    @property
    def role(self) -> str:
        return self.account.scope.role


def uses_oidc() -> bool:
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def current_account() -> auth.Account | None:
    """The signed-in account, from the session (built-in login) or the OIDC identity."""
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
        with data.cursor() as cur:
            account = auth.sign_in(cur, username, password)
        if account is None:
            st.error("用户名或密码错误。")
        else:
            st.session_state[ACCOUNT] = account
            st.rerun()


def logout(login: st.Page) -> None:
    """Forget the user and show the login page (OIDC: also end the provider's session)."""
    st.session_state.pop(ACCOUNT, None)
    st.session_state.pop(CONTEXT, None)
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
        default_year = window.latest_full_year or today.year
        year = st.selectbox("评价年度", years, index=years.index(default_year), key=YEAR,
                            format_func=lambda y: f"{y} 年")
        as_of = st.date_input("观察日", value=today, min_value=window.first_day, max_value=window.last_day or today,
                              key=AS_OF, format="YYYY-MM-DD",
                              help="“3个1”办理状态按此日计算；不晚于数据的最后一天。")
        if st.button("退出登录", icon=":material/logout:"):
            logout(login)
    return Context(account, year, as_of, window, year_method(year))


def year_method(year: int) -> Method:
    """The method of `year`'s published evaluation, or the default method file before one is published."""
    return _method(data.load(published.year_method_text, year, scope=None))


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
