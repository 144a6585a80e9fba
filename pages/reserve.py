"""储备库台账 — the key-project reserve pool (重点技改项目储备库) and its financing ledger
(融资对接台账, 十九, R16 D3–D4): for the regulator a 41-unit summary first (click a row to open that
unit's ledger); for a unit, which pooled projects got a 技改专项贷 loan or lease, when and from whom,
and for those still waiting the institutions active in that district and category to call."""

import pandas as pd
import streamlit as st

from scoring import districts
from ui import data, figures, fmt, session, show

UNIT = "reserve_unit"  # session key: the unit whose ledger is shown
PICKED = "reserve_picked"  # session key: the summary row already applied

ctx = session.context("regulator", "district")
st.title("储备库台账")
if ctx.role == "regulator":
    summary = data.load(districts.reserve_summary, scope=ctx.scope, as_of=ctx.as_of)
    names = dict(zip(summary["district_code"], summary["name"], strict=True))
    st.subheader(f"全市 41 个单位（截至 {ctx.as_of:%Y-%m-%d}）")
    cols = st.columns(4)
    pooled, financed = int(summary["pooled"].sum()), int(summary["financed"].sum())
    cols[0].metric("入库项目", f"{pooled:,} 个", border=True)
    cols[1].metric("已获贷项目", f"{financed:,} 个", border=True)
    cols[2].metric("融资对接率", fmt.percent(financed / pooled if pooled else None), border=True,
                   help="已获贷项目 ÷ 入库项目，与各单位台账同一口径。")
    cols[3].metric("签约金额", fmt.money_text(sum(summary["signed_amount"])), border=True)
    ranked = summary.sort_values(["pooled", "district_code"], ascending=[False, True]).reset_index(drop=True)
    picked = show.table(ranked, {"name": "区县", "pooled": "入库项目（个）", "financed": "已获贷（个）",
                                 "financed_share": "融资对接率", "signed_amount": "签约金额（万元）"},
                        percent=("financed_share",), money=("signed_amount",), key="reserve_summary",
                        export=f"储备库汇总_{ctx.as_of:%Y%m%d}", on_select="rerun")
    rows = picked.selection.rows if picked else []
    chosen = ranked["district_code"].iloc[rows[0]] if rows else None
    if chosen is not None and chosen != st.session_state.get(PICKED):
        st.session_state[PICKED] = st.session_state[UNIT] = chosen
    st.caption("点击一行查看该单位的台账。")
    st.subheader("单位台账")
    st.session_state.setdefault(UNIT, districts.FIRST_UNIT)
    code = st.selectbox("区县", list(names), format_func=names.get, key=UNIT)
else:
    code = ctx.scope.district_code
ledger = data.load_shared(districts.reserve_ledger, district_code=code, as_of=ctx.as_of, scope=ctx.scope)
name = ledger["district_name"].iloc[0] if len(ledger) else ctx.account.display_name
st.caption(f"{name} · 截至观察日 {ctx.as_of:%Y-%m-%d} 已入库的重点技改项目，及其获得技改专项贷（含融资租赁）的情况。")

if ledger.empty:
    show.empty("截至观察日尚无入库项目。")
    st.stop()

financed = ledger[ledger["financed"]]
cols = st.columns(4)
cols[0].metric("入库项目", f"{len(ledger):,} 个", border=True)
cols[1].metric("已获贷项目", f"{len(financed):,} 个", border=True)
cols[2].metric("融资对接率", fmt.percent(len(financed) / len(ledger)), border=True, help="已获贷项目 ÷ 入库项目（R16 D4）")
cols[3].metric("签约金额", fmt.money_text(financed["signed_amount"].sum()), border=True)

by_month = data.derived(districts.pool_by_month, ("reserve", code, ctx.as_of, ctx.scope.key), ledger)
show.chart(figures.pool_progress, by_month, f"{name}：按入库月份的项目与融资对接")

st.subheader("尚未获贷的入库项目与可对接机构")
callers = data.load(districts.who_to_call, code, scope=ctx.scope, as_of=ctx.as_of)
waiting = data.derived(districts.unfinanced, ("reserve", code, ctx.as_of, ctx.scope.key), ledger, callers, ctx.as_of)
st.caption("“可对接机构”为近一年在本区县同类技改项目（智能化、绿色化、数字化等）上签约最多的银行和融资租赁机构，"
           "按签约笔数排列，供区县组织融资对接时联系。")
if waiting.empty:
    show.empty("入库项目均已获得技改专项贷。")
else:
    order = list(fmt.PROJECT_CATEGORIES)  # 智能化、绿色化、数字化、其他, as the policy lists them
    by_category = districts.callers_by_category(callers).sort_values("category", key=lambda c: c.map(order.index))
    show.table(by_category.assign(category=by_category["category"].map(fmt.PROJECT_CATEGORIES)),
               {"category": "项目类别", **{c: f"可对接机构 {c.removeprefix('place_')}" for c in by_category.columns[1:]}},
               key="callers")
    listed = waiting.assign(category=waiting["category"].map(fmt.PROJECT_CATEGORIES),
                            pooled_on=pd.to_datetime(waiting["pooled_on"]))
    columns = {"project_id": "项目编号", "ent_name": "企业", "pooled_on": "入库日期", "days_waiting": "已等待（天）",
               "category": "类别", "total_investment": "总投资（万元）"}
    # the page lists the institutions once per category (above); the download keeps them on every row
    show.download(listed, {**columns, "call": "可对接机构"}, f"未获贷项目_{name}_{ctx.as_of:%Y%m%d}",
                  money=("total_investment",), key="waiting_download")
    show.table(listed, columns, money=("total_investment",), key="waiting")

st.subheader("全部入库项目")
status = st.segmented_control("显示", ["全部", "已获贷", "未获贷"], default="全部", required=True, key="reserve_filter")
shown = {"全部": ledger, "已获贷": financed, "未获贷": ledger[~ledger["financed"]]}[status]
show.table(shown.assign(financed=shown["financed"].map(fmt.YES_NO),
                        category=shown["category"].map(fmt.PROJECT_CATEGORIES),
                        pooled_on=pd.to_datetime(shown["pooled_on"]),
                        first_signed_on=pd.to_datetime(shown["first_signed_on"])),
           {"project_id": "项目编号", "ent_name": "企业", "filing_no": "备案号", "pooled_on": "入库日期",
            "category": "类别", "total_investment": "总投资（万元）", "financed": "已获贷", "first_signed_on": "首笔签约",
            "signed_amount": "签约金额（万元）", "financed_by": "金融机构"},
           money=("total_investment", "signed_amount"), key="ledger", export=f"储备库台账_{name}_{status}")
