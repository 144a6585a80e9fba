"""贴息预算模拟 — what a change of the subsidy rules would cost (R1–R7), before it is made.

The regulator sets a variant of the policy's numbers (or loads a variant file), a budget and the
queue priority; the engine (`scoring.budget`) recomputes every subsidy of the year over the real
payment records and the page shows the variant beside the current rules: totals, by district,
institution and kind, who gains and who loses, what the budget pays and what waits, and the cost
curve of one parameter. The variant can be downloaded as a file and loaded again."""

from decimal import Decimal

import streamlit as st

from scoring import budget, dashboard
from scoring.policy import FIELDS, PolicyError
from ui import data, fmt, foresight, session, show

ctx = session.context("regulator")
st.title(f"贴息预算模拟 · {ctx.year} 年")
st.caption("按当年真实付息、担保费和保单记录，用模拟的规则重算全部贴息、奖补与保费补贴（R1–R6），与现行规则对照；"
           "再按拨付队列（R7）计算预算能付多少、哪些待拨付。模拟不保存、不影响测算与评价。")

base = ctx.policy
WAN = Decimal(10_000)
# parameter → (widget label, unit shown, factor from the shown number to the policy's value)
SHOWN = {
    "interest.loan_rate_share": ("贷款贴息比例", "%", Decimal("0.01")),
    "interest.rate_points": ("贴息上限", "个百分点", Decimal("0.01")),
    "interest.lease_rate_share": ("租赁贴息占租息比例上限", "%", Decimal("0.01")),
    "caps.loan": ("贷款贴息每项目每年封顶", "万元", WAN),
    "caps.lease": ("租赁贴息每项目每年封顶", "万元", WAN),
    "eligibility.min_investment": ("项目投资额门槛（不含土地）", "万元", WAN),
    "guarantee.share": ("担保奖补比例", "%", Decimal("0.01")),
    "guarantee.fee_rate_max": ("担保费率上限", "%", Decimal("0.01")),
    "guarantee.cap": ("担保奖补每项目累计封顶", "万元", WAN),
    "insurance.share": ("保费补贴比例", "%", Decimal("0.01")),
    "insurance.first_set_rate_max": ("首台（套）保费费率上限", "%", Decimal("0.01")),
    "insurance.first_set_cap": ("首台（套）每产品每年封顶", "万元", WAN),
    "insurance.software_cap": ("软件首版次封顶", "万元", WAN),
    "insurance.cost_loss_cap": ("费用损失保险封顶", "万元", WAN),
    "queue.city_share": ("市级分担比例", "%", Decimal("0.01")),
}
FIELD = {f"{section}.{key}": field for section, key, field, _ in FIELDS}  # parameter → Policy attribute

uploaded = st.file_uploader("载入方案文件（政策参数 TOML，可只写要改的项，可含 [budget] 节）", type=["toml"],
                            key="budget_upload")
loaded = None
if uploaded is not None:
    try:
        loaded = budget.load_variant(uploaded.getvalue().decode("utf-8"))
    except (PolicyError, ValueError, UnicodeDecodeError) as error:
        st.error(f"方案文件无法使用：{error}", icon=":material/error:")
start = loaded.policy if loaded else base


def shown_value(parameter: str) -> float:
    _, _, factor = SHOWN[parameter]
    return float(getattr(start, FIELD[parameter]) / factor)


with st.expander("规则方案（与现行规则不同的项会标出）", expanded=True, icon=":material/tune:"):
    overrides: dict[str, Decimal] = {}  # parameter → the value the variant gives it
    changed = []
    columns = st.columns(3)
    for i, (parameter, (label, unit, factor)) in enumerate(SHOWN.items()):
        value = columns[i % 3].number_input(f"{label}（{unit}）", min_value=0.0, value=shown_value(parameter),
                                            step=1.0 if unit != "个百分点" else 0.25, format="%.4g",
                                            key=f"budget_{parameter}_{uploaded.file_id if uploaded else ''}")
        exact = (Decimal(str(value)) * factor).normalize()
        if exact != getattr(base, FIELD[parameter]):
            overrides[parameter] = exact
            changed.append(f"{label} {value:g}{unit}")
    left, right = st.columns(2)
    limited = left.toggle("设定预算", value=bool(loaded and loaded.budget is not None), key="budget_limited")
    amount_wan = left.number_input("预算（万元）", min_value=0.0, step=1000.0, disabled=not limited,
                                   value=float(loaded.budget / WAN) if loaded and loaded.budget is not None else 30000.0,
                                   key="budget_amount")
    priority = right.radio("拨付顺序（R7）", list(budget.PRIORITIES), format_func=budget.PRIORITIES.get,
                           index=list(budget.PRIORITIES).index(loaded.priority if loaded else "cooperating"),
                           key="budget_priority")

try:
    policy = base
    for parameter, value in overrides.items():
        policy = budget.with_value(policy, parameter, value)
    variant = budget.Variant(policy,
                             Decimal(str(amount_wan)) * WAN if limited else None, priority)
except (PolicyError, ValueError) as error:
    st.error(f"方案有误：{error}", icon=":material/error:")
    st.stop()
st.caption("改动：" + ("；".join(changed) if changed else "无（与现行规则相同）") +
           f"。方案文件 SHA-256 {variant.policy.sha256[:12]}…")

summary = data.load_shared(budget.summary, ctx.year, variant, scope=None)
sums = summary.totals
cols = st.columns(4)
cols[0].metric("现行规则补贴总额", fmt.money_text(sums["baseline"]), border=True)
cols[1].metric("模拟方案补贴总额", fmt.money_text(sums["variant"]),
               fmt.money_text(sums["change"]) if sums["change"] else None,  # no arrow when nothing changes
               delta_color="inverse", border=True, help="增加为红色（财政多支出），减少为绿色")
cols[2].metric("预算可拨付", fmt.money_text(sums["paid"]), border=True,
               help="按拨付队列：利息补贴逐笔排队，其后为担保奖补和保费补贴；整笔拨付，预算用尽处部分拨付")
cols[3].metric("待拨付", fmt.money_text(sums["waiting"]), border=True)
st.caption(f"市级承担 {fmt.money_text(sums['city_part'])}，区县承担 {fmt.money_text(sums['district_part'])}（市级比例"
           f" {fmt.percent(variant.policy.city_share)}，逐行四舍五入到分）。")

names = data.load(dashboard.districts, scope=None).set_index("district_code")["name"]
institutions = data.load(dashboard.institutions, scope=ctx.scope).set_index("inst_id")["name"]
MONEY = ("baseline", "variant", "change", "paid", "waiting")
HEADERS = {"baseline": "现行规则（万元）", "variant": "模拟方案（万元）", "change": "变化（万元）",
           "paid": "预算拨付（万元）", "waiting": "待拨付（万元）"}

# with no change the charts show the largest subsidies instead (`budget.by` orders ties by the current subsidy)
TOP = "变化最大的 15 " if summary.changed["projects"] else "方案未改变补贴；补贴最多的 15 "
# the sweep runs one subsidy pass per point (4 s at a million loans): only when its tab is open
tabs = st.tabs(["按区县", "按机构", "按补贴类别", "受益与受损", "拨付与待拨付", "参数扫描"], key="budget_tab",
               on_change="rerun")
with tabs[0]:
    frame = summary.by_district.assign(label=lambda f: f["district_code"].map(names).fillna(f["district_code"]))
    show.chart(foresight.budget_compare, frame.head(15), "label", f"{TOP}个区县：现行规则与模拟方案")
    show.table(frame, {"label": "区县", **HEADERS}, money=MONEY, key="budget_district", widths={"label": "medium"})
with tabs[1]:
    frame = summary.by_institution.assign(label=lambda f: f["inst_id"].map(institutions).fillna(f["inst_id"]))
    show.chart(foresight.budget_compare, frame.head(15), "label", f"{TOP}家机构：现行规则与模拟方案")
    show.table(frame, {"label": "机构（放款、担保或承保）", **HEADERS}, money=MONEY, key="budget_inst",
               widths={"label": "large"})
    st.caption("几家机构共同支持的项目，其补贴在每家机构下全额列示，故本表合计可能大于总额。")
with tabs[2]:
    frame = summary.by_kind.assign(label=lambda f: f["kind"].map(budget.KIND_LABELS))
    show.chart(foresight.budget_compare, frame, "label", "各类补贴：现行规则与模拟方案")
    show.table(frame, {"label": "补贴类别", **HEADERS}, money=MONEY, key="budget_kind")
with tabs[3]:
    for of, title in (("project_id", "项目"), ("ent_id", "企业")):
        gain, loss = summary.movers[of]
        left, right = st.columns(2)
        with left:
            st.markdown(f"**受益最多的{title}**（前 20）")
            show.table(gain, {of: title, "baseline": "现行（万元）", "variant": "模拟（万元）", "change": "增加（万元）"},
                       money=("baseline", "variant", "change"), key=f"budget_gain_{of}")
        with right:
            st.markdown(f"**受损最多的{title}**（前 20）")
            show.table(loss, {of: title, "baseline": "现行（万元）", "variant": "模拟（万元）", "change": "减少（万元）"},
                       money=("baseline", "variant", "change"), key=f"budget_loss_{of}")
    changed = summary.changed
    st.caption(f"补贴变化的项目 {changed['projects']:,} 个、企业 {changed['enterprises']:,} 家"
               f"（增加 {changed['rows_up']:,} 行、减少 {changed['rows_down']:,} 行）。")
with tabs[4]:
    frame = summary.by_kind.assign(label=lambda f: f["kind"].map(budget.KIND_LABELS))
    show.table(frame, {"label": "补贴类别", "variant": "模拟方案（万元）", "paid": "预算拨付（万元）",
                       "waiting": "待拨付（万元）"}, money=("variant", "paid", "waiting"), key="budget_paid")
    first = f"，此处列前 {budget.WAITING_SHOWN} 行" if summary.waiting_rows > budget.WAITING_SHOWN else ""
    st.markdown(f"**待拨付的项目**（{summary.waiting_rows:,} 行，按待拨付金额从大到小{first}）")
    show.table(summary.waiting, {"project_id": "项目", "kind_text": "补贴类别", "district_code": "区县代码",
                                   "variant": "模拟补贴（万元）", "paid": "已拨付（万元）", "waiting": "待拨付（万元）"},
               money=("variant", "paid", "waiting"), key="budget_waiting")
with tabs[5]:
    if tabs[5].open:
        left, mid, right, last = st.columns(4)
        parameter = left.selectbox("扫描的参数", list(SHOWN), format_func=lambda p: SHOWN[p][0], index=3,
                                   key="budget_sweep_parameter")
        label, unit, factor = SHOWN[parameter]
        low = mid.number_input(f"从（{unit}）", min_value=0.0, value=shown_value(parameter) / 2, key="budget_sweep_low")
        high = right.number_input(f"到（{unit}）", min_value=0.0, value=shown_value(parameter) * 2, key="budget_sweep_high")
        points = last.number_input("点数", min_value=2, max_value=20, value=10, key="budget_sweep_points")
        if high <= low or low <= 0:
            st.warning("“到”应大于“从”，且都大于 0。")
        else:
            step = (Decimal(str(high)) - Decimal(str(low))) / (int(points) - 1)
            values = tuple((Decimal(str(low)) + step * i) * factor for i in range(int(points)))
            try:
                curve = data.load(budget.sweep, ctx.year, parameter, values, variant.policy, variant.budget, scope=None)
            except (PolicyError, ValueError) as error:
                st.error(f"扫描范围内有不能使用的取值：{error}", icon=":material/error:")
            else:
                curve["value"] = curve["value"].map(lambda v: v / factor)
                show.chart(foresight.cost_curve, curve, f"{label}（{unit}）", variant.budget,
                           f"补贴总额随{label}的变化（其他项按当前方案）")
                show.table(curve, {"value": f"{label}（{unit}）", "cost": "补贴总额（万元）", "paid": "预算可拨付（万元）"},
                           money=("cost", "paid"), key="budget_curve")

st.download_button("下载本方案文件（TOML，可存档、对比、重现）", variant.text, file_name=f"贴息方案-{variant.policy.sha256[:8]}.toml", mime="application/toml", icon=":material/download:")
# built when clicked, not on every rerun (it was half of a warm render)
st.download_button("下载逐项目对照（Excel）", lambda: show.workbook_bytes(
    {"budget": show.rows_of(data.load_shared(budget.simulation, ctx.year, variant, scope=None))}),
                   file_name=f"贴息预算模拟-{ctx.year}.xlsx", icon=":material/table_view:")
