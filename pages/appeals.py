"""复核 — the regulator's side of appeals (issue 15 §4): the year's published run and its appeal window,
every appeal with its disputed indicators, reasons and evidence, the decision (accept or reject, with
reasons), corrections to the data since publication, and the corrected run that supersedes the
published one (the old run stays, marked superseded; the new one records why)."""

import streamlit as st

from scoring import appeals, evidence, reporting, runs
from scoring.importing.limits import size_text
from ui import data, results, session, show

ctx = session.context("regulator")
st.title(f"复核 · {ctx.year} 年度")
run_id, run = results.published_or_stop(
    ctx.year, f"{ctx.year} 年度评价尚未发布（在“评价运行”页发布后，各机构可在复核期限内申请复核）。")
with data.cursor() as cur:
    published_day, last_day = appeals.window(cur, run)
    listed = appeals.appeals(cur, ctx.scope)
    all_runs = runs.list_runs(cur)
correction = data.load(reporting.corrections_since_publication, run_id, scope=None)
cols = st.columns(4)
cols[0].metric("当前发布的评价", run_id, border=True)
cols[1].metric("复核申请截止", f"{last_day:%Y-%m-%d}", border=True, help=f"发布日 {published_day:%Y-%m-%d}，R9 工作日历")
year_appeals = listed[listed["run_id"].str.startswith(f"E{ctx.year}-")]
cols[2].metric("复核申请", f"{len(year_appeals)} 件", border=True)
cols[3].metric("待决定", f"{int((year_appeals['status'] == 'filed').sum())} 件", border=True)

chain = all_runs[(all_runs["year"] == ctx.year) & all_runs["published"]]
if len(chain) > 1 or run.run.supersedes:
    st.subheader("评价运行的更正记录")
    show.table(chain.assign(state=chain["superseded_by"].map(lambda s: f"已被 {s} 取代" if isinstance(s, str) else "现行")),
               {"run_id": "运行编号", "published_at": "发布时间", "state": "状态", "supersedes": "取代",
                "correction_reason": "更正原因"}, key="chain")

st.subheader("复核申请")
if year_appeals.empty:
    show.empty("还没有复核申请。")
else:
    show.table(year_appeals.assign(filed_at=year_appeals["filed_at"].dt.strftime("%Y-%m-%d %H:%M"),
                                    decided_at=year_appeals["decided_at"].dt.strftime("%Y-%m-%d %H:%M")),
               {"appeal_id": "申请编号", "inst_id": "机构编号", "name": "机构", "run_id": "评价运行",
                "indicators": "有异议的指标", "filed_at": "提出时间", "status_label": "状态",
                "decided_at": "决定时间", "corrected_run_id": "更正评价"}, key="appeals")
    for appeal in year_appeals.itertuples():
        with st.expander(f"{appeal.appeal_id} · {appeal.name} · {appeal.status_label}", expanded=appeal.status == "filed"):
            names = {i.id: i.name for i in run.method.indicators}
            st.markdown("**有异议的指标**：" + "、".join(f"{i} {names.get(i, '')}" for i in appeal.indicators.split(";")))
            st.markdown("**复核理由**")
            st.text(appeal.reasons)
            with data.cursor() as cur:
                attached = evidence.listed(cur, f"A:{appeal.appeal_id}")
            for item in attached.itertuples():
                with data.cursor() as cur:
                    found = evidence.content(cur, item.sha256, f"A:{appeal.appeal_id}")
                st.download_button(f"证明材料：{item.uploaded_name}（{size_text(item.bytes)}）", found[0],
                                   file_name=found[1], mime="application/octet-stream",
                                   key=f"a_{appeal.appeal_id}_{item.sha256}")
            if appeal.status != "filed":
                st.caption(f"决定理由：{appeal.decision}")
                continue
            with st.form(f"decide_{appeal.appeal_id}"):
                verdict = st.radio("决定", ["受理（复核成立）", "不予支持"], horizontal=True)
                reasons = st.text_area("决定理由")
                decided = st.form_submit_button("作出决定", type="primary", icon=":material/gavel:")
            if decided:
                try:
                    with data.cursor() as cur:
                        appeals.decide(cur, appeal.appeal_id, verdict.startswith("受理"), reasons, ctx.account.username)
                    st.rerun()
                except ValueError as error:
                    st.error(str(error))

st.subheader("更正评价")
if correction.corrected:
    st.warning(f"{run_id}：{correction.to_text()}", icon=":material/edit_note:")
else:
    st.caption(correction.to_text())
waiting = year_appeals[(year_appeals["status"] == "accepted") & year_appeals["corrected_run_id"].isna()]
st.caption("受理复核并更正数据（机构重新报送、或修改定性评审得分）后，发布更正评价：以同一评价办法、政策参数、观察日和抽样次数"
           f"按当前数据重新评价，取代 {run_id}；原运行保持不变并标记为已被取代，下一年度合作机构名单随更正评价更新。")
with st.form("correct"):
    reason = st.text_area("更正原因", value=("受理复核申请 " + "、".join(waiting["appeal_id"]) + "，更正后重新评价") if len(waiting) else "")
    issue = st.form_submit_button("发布更正评价", icon=":material/published_with_changes:")
if issue:
    try:
        with st.spinner("正在重新评价……"), data.cursor() as cur:
            new = appeals.issue_corrected_run(cur, run_id, reason, ctx.account.username)
        st.success(f"已发布更正评价 {new.run_id}，取代 {run_id}。")
        st.rerun()
    except (ValueError, runs.RunError) as error:
        st.error(str(error))
