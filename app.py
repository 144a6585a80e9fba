"""技改专项贷赛马评价平台 — the Streamlit router.

Run: `streamlit run app.py` (the embedded demo database is created on first start;
`$JIGAI_DB` points at another file, which must exist). A visitor signs in; the navigation then lists only
the pages of the user's role (`ui/nav.py`), and the sidebar holds the evaluation year,
the as-of day and logout.
"""

import os

import streamlit as st

from ui import data, nav, session, style, warm

# a local image: a ":material/…:" page icon is fetched from an external font host
st.set_page_config(page_title="技改专项贷赛马评价平台", page_icon=str(style.ICON), layout="wide")
style.apply()
# fail closed: a missing $JIGAI_DB is an error, never a fresh demo; caches are warmed in the background
data.open_or_stop(after_open=warm.warm_up)
if os.environ.get("JIGAI_API_PORT", "").isdigit():  # the banks' API beside the pages, one writer (README)
    data.start_api(int(os.environ["JIGAI_API_PORT"]), os.environ.get("JIGAI_API_HOST", "127.0.0.1"))

# The login page is registered in both states (hidden from the menu once signed in), so
# signing in and out moves between known pages rather than from an address that the
# other state does not have.
login = st.Page(session.login_page, title="登录", icon=":material/login:", url_path="login", visibility="hidden")

account = session.current_account()
if account is None:
    st.navigation([login], position="hidden").run()
else:
    data.begin_run()
    specs = nav.NAVIGATION[account.scope.role]
    landing_spec = nav.pages_of(account.scope.role)[0]
    pages = {spec: st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url,
                           default=spec == landing_spec)
             for section in specs.values() for spec in section}
    menu = {section: [pages[spec] for spec in section_specs] for section, section_specs in specs.items()}
    current = st.navigation({**menu, "": [login]}, position="hidden")
    if current.url_path == login.url_path:  # just signed in: go to the role's first page
        st.switch_page(pages[landing_spec])
    # the menu, every page listed: Streamlit's own is switched off (.streamlit/config.toml), because until the
    # first run of a new session it listed the files of pages/ under their English names
    with st.sidebar:
        for section, section_pages in menu.items():
            st.caption(section)
            for page in section_pages:
                st.page_link(page)
        st.divider()
    st.session_state[session.CONTEXT] = session.sidebar(account, login)
    with data.computing(page=True):  # the page's races share their books (a year's loans, every stage)
        current.run()
