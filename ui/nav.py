"""Which pages each role sees, as data: the router builds `st.navigation` from it and the
page tests walk it, so a page is listed for a role in exactly one place.

Every page has an address (`url`) that differs from its file name on purpose: Streamlit
still knows the legacy `pages/` folder convention, under which an address equal to a
file's stem would run that file directly instead of going through the router's login.
"""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    path: str
    url: str
    title: str
    icon: str


IMPORT = PageSpec("pages/data_import.py", "data-import", "数据导入", ":material/upload_file:")
DISTRICT_RACE = PageSpec("pages/district_race.py", "district-race", "区县赛马", ":material/map:")
QUALITY = PageSpec("pages/quality.py", "data-quality", "数据质量", ":material/fact_check:")
RESERVE = PageSpec("pages/reserve.py", "reserve-pool", "储备库台账", ":material/inventory_2:")

NAVIGATION: dict[str, dict[str, tuple[PageSpec, ...]]] = {
    "regulator": {
        "全市": (
            PageSpec("pages/overview.py", "city-overview", "总览", ":material/dashboard:"),
            PageSpec("pages/race.py", "horse-race", "赛马", ":material/sprint:"),
            PageSpec("pages/ranking.py", "city-ranking", "排名", ":material/leaderboard:"),
            PageSpec("pages/profile.py", "institution-profile", "机构画像", ":material/account_balance:"),
            PageSpec("pages/whatif.py", "what-if", "情景模拟", ":material/tune:"),
            PageSpec("pages/budget.py", "budget-simulator", "贴息预算模拟", ":material/calculate:"),
            PageSpec("pages/interviews.py", "interview-list", "约谈名单", ":material/record_voice_over:"),
            PageSpec("pages/payments.py", "subsidy-payments", "贴息与拨付", ":material/account_balance_wallet:"),
            PageSpec("pages/runs.py", "evaluation-runs", "评价运行", ":material/published_with_changes:"),
            PageSpec("pages/qualitative_review.py", "qualitative-review", "定性评审", ":material/rate_review:"),
            PageSpec("pages/appeals.py", "appeals", "复核", ":material/balance:"),
        ),
        "区县": (DISTRICT_RACE, RESERVE),
        "数据": (IMPORT, QUALITY, PageSpec("pages/security.py", "login-audit", "登录审计", ":material/shield_person:"),
               PageSpec("pages/tracker.py", "reporting-tracker", "报送进度", ":material/fact_check:")),
    },
    "district": {
        "本区县": (
            DISTRICT_RACE,
            RESERVE,
            PageSpec("pages/district_service.py", "district-service", "机构服务", ":material/handshake:"),
        ),
        "数据": (IMPORT,),
    },
    "institution": {
        "本机构": (
            PageSpec("pages/my_sla.py", "my-sla", "我的“3个1”", ":material/timer:"),
            PageSpec("pages/my_rank.py", "my-rank", "我的排名", ":material/military_tech:"),
            PageSpec("pages/my_subsidy.py", "my-subsidy", "我的贴息", ":material/payments:"),
            PageSpec("pages/self_assessment.py", "self-assessment", "定性自评", ":material/edit_note:"),
            PageSpec("pages/my_appeals.py", "my-appeals", "复核申请", ":material/balance:"),
        ),
        "数据": (IMPORT, QUALITY, PageSpec("pages/my_submissions.py", "my-submissions", "报送记录", ":material/receipt_long:")),
    },
}


def pages_of(role: str) -> list[PageSpec]:
    """The role's pages in menu order; the first is where the user lands."""
    return [page for section in NAVIGATION[role].values() for page in section]
