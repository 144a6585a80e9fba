"""约谈名单 — the supervisory interview list (R15, 十六): institutions graded 四级 or whose
"3个1" compliance is below 60 %, with the reason; and the re-lending data errors (R8)
that the interview should also raise."""

import streamlit as st

from scoring import dashboard, subsidy
from scoring.export import Column
from ui import data, fmt, results, session, show

ctx = session.context("regulator")
st.title(f"约谈名单 · {ctx.year} 年")
result = results.choose(ctx)
line = result.method.interview.compliance_below
st.caption(f"约谈条件（R15）：综合评价等级为{'、'.join(result.method.interview.grades)}，"
           f"或“3个1”限时办结达标率低于 {line:.0%}。")

listed = result.institutions[result.institutions["interview"]].assign(
    peer_group=lambda t: t["peer_group"].map(fmt.PEER_GROUPS)).sort_values(["peer_group", "rank"])
cols = st.columns(3)
cols[0].metric("约谈机构", f"{len(listed)} 家", border=True)
cols[1].metric("其中因等级", f"{int(listed['interview_reason'].str.contains('等级').sum())} 家", border=True)
cols[2].metric("其中因“3个1”", f"{int(listed['interview_reason'].str.contains('3个1').sum())} 家", border=True)

columns = {"name": "机构", "peer_group": "类别", "score": "综合得分", "grade": "等级", "S1_raw": "“3个1”达标率",
           "interview_reason": "约谈事由"}
if listed.empty:
    show.empty("本年度没有需要约谈的机构。")
else:
    show.table(listed, columns, percent=("S1_raw",), key="interviews")
    sheet = [Column("name", "机构"), Column("peer_group", "类别"), Column("score", "综合得分", "score"),
             Column("grade", "等级"), Column("S1_raw", "“3个1”达标率", "percent"), Column("interview_reason", "约谈事由")]
    note = f"{ctx.year} 年度约谈名单（{result.run_id or '实时测算'}）。约谈条件：综合评价等级为{'、'.join(result.method.interview.grades)}，或“3个1”限时办结达标率低于 {line:.0%}（R15）。"
    st.download_button("下载约谈名单（Excel）",
                       lambda: show.people_workbook_bytes({"约谈名单": (listed, sheet)}, {"约谈名单": note}),
                       file_name=f"约谈名单_{ctx.year}.xlsx", icon=":material/download:")

st.subheader("支农支小再贷款数据问题（R8）")
errors = data.load(subsidy.relending_check, scope=ctx.scope, policy=ctx.policy)
if errors.empty:
    show.empty("未发现标注为支农支小再贷款但不符合条件的贷款。")
else:
    names = data.load(dashboard.institutions, scope=ctx.scope).set_index("inst_id")["name"]
    show.table(errors.assign(inst_name=errors["inst_id"].map(names)),
               {"loan_id": "贷款编号", "inst_name": "放款机构", "ent_id": "企业统一社会信用代码", "signed_on": "签约日期",
                "amount": "金额（万元）", "reason_text": "问题"}, money=("amount",), key="relending")
