"""储备库台账 — the key-project reserve pool of a district (重点技改项目储备库) and its
financing ledger (融资对接台账, 十九, R16 D3–D4): which pooled projects got a 技改专项贷
loan or lease, when and from whom."""

import pandas as pd
import streamlit as st

from scoring import dashboard, districts
from ui import data, figures, fmt, session, show

ctx = session.context("regulator", "district")
st.title("储备库台账")
if ctx.role == "regulator":
    units = data.load(dashboard.districts, scope=None)
    names = dict(zip(units["district_code"], units["name"], strict=True))
    code = st.selectbox("区县", list(names), format_func=names.get, key="reserve_unit",
                        index=list(names).index("500191"))
else:
    code = ctx.scope.district_code
ledger = data.load(districts.reserve_ledger, district_code=code, as_of=ctx.as_of, scope=ctx.scope)
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

show.chart(figures.pool_progress, ledger, f"{name}：按入库月份的项目与融资对接")

status = st.segmented_control("显示", ["全部", "已获贷", "未获贷"], default="全部", required=True, key="reserve_filter")
shown = {"全部": ledger, "已获贷": financed, "未获贷": ledger[~ledger["financed"]]}[status]
show.table(shown.assign(financed=shown["financed"].map(fmt.YES_NO),
                        category=shown["category"].map(fmt.PROJECT_CATEGORIES),
                        pooled_on=pd.to_datetime(shown["pooled_on"]),
                        first_signed_on=pd.to_datetime(shown["first_signed_on"])),
           {"project_id": "项目编号", "ent_name": "企业", "filing_no": "备案号", "pooled_on": "入库日期",
            "category": "类别", "total_investment": "总投资（万元）", "financed": "已获贷", "first_signed_on": "首笔签约",
            "signed_amount": "签约金额（万元）", "financed_by": "金融机构"},
           money=("total_investment", "signed_amount"), key="ledger")
