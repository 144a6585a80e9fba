"""贴息与拨付 — the regulator's money view of the year (R1–R8): subsidies by kind, institution and
district; the payment queue against a budget entered here (合作机构优先, 先付后贴, R7) with the
市区共担 split; the refusals by reason with their rows (R1); the re-lending data errors (R8).
Every table downloads as Excel through the sanitised writer."""

from decimal import Decimal

import pandas as pd
import streamlit as st

from scoring import disbursement, subsidy
from ui import data, figures, fmt, session, show


def with_yes_no(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(cooperating=rows["cooperating"].map(fmt.YES_NO))


ctx = session.context("regulator")


def names() -> disbursement.Names:
    """The names the lists put on the rows they show (not on a million claims)."""
    return data.load_shared(disbursement.names, scope=ctx.scope)


policy = ctx.policy
money = data.load_shared(disbursement.overview, ctx.year, scope=ctx.scope, policy=policy)
kinds, totals, refused = money.kinds, money.institutions, money.refusals

st.title(f"贴息与拨付 · {ctx.year} 年")
st.caption(f"按报送的付息、担保费与保单“免申即享”测算（R1–R6）：{policy.interest_summary()}。测算金额不等于已拨付；"
           "拨付按预算排队（R7）。")
if money.empty:
    show.empty(f"{ctx.year} 年尚无付息、担保或保单记录。")
    st.stop()

total = sum(kinds["subsidy"], Decimal(0))
interest = sum(kinds.loc[kinds["kind"].isin(["loan", "lease"]), "subsidy"], Decimal(0))
cols = st.columns(4)
cols[0].metric("贴息与奖补合计（测算）", fmt.money_text(total), border=True,
               help="封顶后（R4–R6），含贷款与租赁贴息、担保奖补和三类保险补贴。")
cols[1].metric("贷款与租赁贴息", fmt.money_text(interest), border=True, help="拨付队列（R7）中的金额。")
cols[2].metric("担保奖补与保险补贴", fmt.money_text(total - interest), border=True)
with cols[3]:
    st.metric("不予贴息的付息", f"{int(refused['payments'].sum()):,} 笔", border=True,
              help="每笔都有原因（R1），见“不予贴息”页签。")

# a tab's rows are read when it is opened: the queue alone is a million claims at a million loans
by_kind, queue_tab, refusal_tab, relending_tab = st.tabs(
    ["按类别、机构与区县", "拨付队列与市区分担（R7）", "不予贴息（R1）", "再贷款数据问题（R8）"], key="payments_tab",
    on_change="rerun")

with by_kind:
    st.markdown("**按类别**")
    show.table(kinds, {"kind_text": "类别", "projects": "项目（个）", "items": "笔数", "refused": "不予贴息（笔）",
                       "uncapped": "封顶前（万元）", "subsidy": "封顶后（万元）"},
               money=("uncapped", "subsidy"), key="kinds", export=f"贴息分类别_{ctx.year}")
    shown = totals.rename(columns={"inst_name": "name"}).head(20)
    show.chart(figures.amount_by_institution, shown, "subsidy", f"{ctx.year} 年贴息与奖补（前 20 家机构）",
               "贴息与奖补（万元）")
    st.markdown("**按机构**（放款机构、担保机构与保险机构；合作机构的贴息优先兑现）")
    show.table(totals.assign(cooperating=totals["cooperating"].map(fmt.YES_NO)),
               {"inst_name": "机构", "cooperating": "本年合作机构", "projects": "项目（个）", "items": "笔数",
                "refused": "不予贴息（笔）", "uncapped": "封顶前（万元）", "subsidy": "封顶后（万元）"},
               money=("uncapped", "subsidy"), key="by_institution", export=f"贴息分机构_{ctx.year}")
    st.markdown("**按区县**（项目所在区县）")
    show.table(money.districts, {"name": "区县", "projects": "项目（个）", "items": "笔数", "refused": "不予贴息（笔）",
                             "subsidy": "贴息与奖补（万元）"}, money=("subsidy",), key="by_district",
               export=f"贴息分区县_{ctx.year}")

with queue_tab:
    if queue_tab.open:
        st.caption("当年合作机构的贷款贴息优先，再按付息日先后、付息编号排序（R7，二十条第十九条“优先兑现”）；"
                   "预算按序整笔拨付，用尽处的一笔部分拨付。市级部分四舍五入到分，其余由区县承担。")
        left, right = st.columns(2)
        default_budget = float(int(fmt.wan(interest) // 1000 * 1000))  # the claims rounded down to 1,000 万元
        budget = left.number_input("本年贴息预算（万元）", min_value=0.0, value=default_budget, step=500.0, format="%.2f",
                                   key="payments_budget", help="默认为测算贴息向下取整到千万元，可修改。")
        share = right.slider("市级分担比例（%）", 0, 100, int(policy.city_share * 100), key="payments_share",
                             help="政策参数默认值见政策文件 queue.city_share；其余由项目所在区县承担。")
        planned = data.load_shared(disbursement.plan, ctx.year, Decimal(str(budget)) * 10_000, Decimal(share) / 100,
                            scope=ctx.scope, policy=policy)
        figures_of, summary = planned.totals, planned.summary
        cols = st.columns(4)
        cols[0].metric("已拨付", fmt.money_text(figures_of["paid"]), f"{figures_of['paid_claims']:,} 笔全额"
                       + (f"、{figures_of['partial_claims']} 笔部分" if figures_of["partial_claims"] else ""),
                       delta_color="off", delta_arrow="off", border=True)
        cols[1].metric("待拨付", fmt.money_text(figures_of["waiting"]), f"{figures_of['waiting_claims']:,} 笔",
                       delta_color="off", delta_arrow="off", border=True)
        cols[2].metric(f"市级承担（{share}%）", fmt.money_text(figures_of["city_part"]), border=True)
        cols[3].metric(f"区县承担（{100 - share}%）", fmt.money_text(figures_of["district_part"]), border=True)
        show.table(summary.assign(cooperating=summary["cooperating"].map({True: "合作机构", False: "其他机构"})),
                   {"status_text": "状态", "cooperating": "机构", "claims": "笔数", "subsidy": "贴息（万元）",
                    "paid": "已拨付（万元）", "waiting": "待拨付（万元）", "city_part": "市级（万元）",
                    "district_part": "区县（万元）"},
                   money=("subsidy", "paid", "waiting", "city_part", "district_part"), key="queue_summary",
                   export=f"拨付汇总_{ctx.year}")
        statuses = {"全部": None, **{text: code for code, text in subsidy.STATUS_LABELS.items()}}
        status = st.segmented_control("显示", list(statuses), default="待拨付", required=True, key="payments_status")
        show.table(planned.claims(statuses[status]), {"queue_no": "序号", "payment_id": "付息编号", "inst_name": "机构", "cooperating": "合作机构",
                          "ent_name": "企业", "district_name": "区县", "paid_on": "付息日", "subsidy": "贴息（万元）",
                          "paid": "已拨付（万元）", "city_part": "市级（万元）", "district_part": "区县（万元）",
                          "status_text": "状态"},
                   money=("subsidy", "paid", "city_part", "district_part"), key="queue_rows",
                   export=f"拨付队列_{ctx.year}_{status}",
                   shape=lambda rows: with_yes_no(names().of(rows)))

with refusal_tab:
    if refusal_tab.open:
        if refused.empty:
            show.empty("本年度没有不予贴息的付息。")
        else:
            show.table(refused, {"reason_text": "原因（R1）", "payments": "付息（笔）", "loans": "贷款（笔）",
                                 "interest": "涉及利息（万元）"}, money=("interest",), key="refusals",
                       export=f"不予贴息原因_{ctx.year}")
            reasons = dict(zip(refused["reason"], refused["reason_text"], strict=True))
            reason = st.selectbox("查看明细", list(reasons), format_func=reasons.get, key="payments_reason")
            rows = data.load_shared(subsidy.refused_of_year, ctx.year, reason, scope=ctx.scope, policy=policy)
            show.table(rows, {"payment_id": "付息编号", "loan_id": "贷款编号", "project_id": "项目编号", "ent_name": "企业",
                              "district_name": "区县", "inst_name": "机构", "paid_on": "付息日", "interest_paid": "实付利息（万元）",
                              "reason_text": "原因"}, money=("interest_paid",), key="refusal_rows",
                       export=f"不予贴息明细_{ctx.year}_{reasons[reason]}", shape=names().of)

with relending_tab:
    if relending_tab.open:
        errors = names().of(data.load(subsidy.relending_check, scope=ctx.scope, policy=policy))
        st.caption("标注为支农支小再贷款的贷款须由地方法人机构发放，借款企业为涉农、小微企业或单户授信 "
                   f"{fmt.money_text(policy.credit_line_max)}以下的民营企业（R8）；不符合的列为数据错误。")
        if errors.empty:
            show.empty("未发现标注为支农支小再贷款但不符合条件的贷款。")
        else:
            show.table(errors,
                       {"loan_id": "贷款编号", "inst_name": "放款机构", "ent_name": "企业", "ent_id": "统一社会信用代码",
                        "signed_on": "签约日期", "amount": "金额（万元）", "reason_text": "问题"}, money=("amount",),
                       key="relending", export="再贷款数据问题")
