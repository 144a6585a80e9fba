"""定性评审 — the regulator reviews each institution's qualitative self-assessment (issue 15 §3):
justification and evidence, then a final 0–100 score with comments. Self against final, side by
side, for every bank and leasing company; the final score enters the composite of a method that
weights the qualitative indicators."""

import pandas as pd
import streamlit as st

from scoring import evidence, qualitative
from scoring.importing.limits import size_text
from ui import data, session, show, workflow_figures

ctx = session.context("regulator")
st.title(f"定性评审 · {ctx.year} 年度")
indicators = qualitative.indicators()
st.caption("各机构自评后由监管部门评审打分（0–100）并写明意见；评审得分在含定性指标的评价办法"
           "（scoring/methods/qualitative.toml，定性占 20%）中计入综合得分。")

with data.cursor() as cur:
    table = qualitative.scores(cur, ctx.year, ctx.scope)
done = table["final_score"].notna().groupby(table["inst_id"]).all()
cols = st.columns(3)
cols[0].metric("应评机构", f"{table['inst_id'].nunique()} 家", border=True)
cols[1].metric("已自评", f"{table.groupby('inst_id')['self_score'].apply(lambda s: s.notna().all()).sum()} 家",
               border=True)
cols[2].metric("已评审", f"{int(done.sum())} 家", border=True)

st.subheader("自评与评审对照")
wide = table.pivot(index=["inst_id", "name"], columns="indicator", values=["self_score", "final_score"])
wide.columns = [f"{i} {'自评' if m == 'self_score' else '评审'}" for m, i in wide.columns]
ordered = [f"{m.id} {w}" for m in indicators for w in ("自评", "评审")]
wide = wide.reindex(columns=ordered).map(lambda v: "" if pd.isna(v) else f"{float(v):.1f}")  # a missing score: blank
st.dataframe(wide.reset_index().rename(columns={"inst_id": "机构编号", "name": "机构"}), hide_index=True,
             key="review_table")
reviewed = table.dropna(subset=["self_score", "final_score"])
if len(reviewed):
    show.chart(workflow_figures.self_against_final, reviewed[["inst_id", "name", "indicator", "self_score", "final_score"]],
               key="self_final_chart")

st.subheader("逐家评审")
names = dict(zip(table["inst_id"], table["name"], strict=False))
inst_id = st.selectbox("机构", list(names), format_func=lambda i: f"{i} {names[i]}", key="review_inst")
with data.cursor() as cur:
    attached = evidence.listed(cur, f"Q:{ctx.year}:{inst_id}:")
for meta in indicators:
    row = table[(table["inst_id"] == inst_id) & (table["indicator"] == meta.id)].iloc[0]
    with st.container(border=True):
        st.markdown(f"**{meta.id} {meta.name}**")
        st.caption(f"评分指引：{meta.guidance}")
        if pd.notna(row["self_score"]):
            st.markdown(f"自评 **{float(row['self_score']):.1f}** 分（{row['self_by']}，{row['self_at']:%Y-%m-%d %H:%M}）")
            st.text(row["justification"])
        else:
            st.caption("该机构尚未自评。")
        for item in attached[attached["owner"] == qualitative.owner(ctx.year, inst_id, meta.id)].itertuples():
            with data.cursor() as cur:
                found = evidence.content(cur, item.sha256, "Q:")
            if found is not None:
                st.download_button(f"证明材料：{item.uploaded_name}（{size_text(item.bytes)}，SHA-256 {item.sha256[:12]}…）",
                                   found[0], file_name=found[1], mime="application/octet-stream",
                                   key=f"rev_{inst_id}_{meta.id}_{item.sha256}")
        with st.form(f"review_{inst_id}_{meta.id}"):
            final = st.number_input("评审得分（0–100）", 0.0, 100.0,
                                    float(row["final_score"]) if pd.notna(row["final_score"]) else 0.0,
                                    step=0.5)
            comment = st.text_area("评审意见", row["review_comment"] if isinstance(row["review_comment"], str) else "")
            saved = st.form_submit_button("保存评审", type="primary", icon=":material/gavel:")
        if saved:
            try:
                with data.cursor() as cur:
                    qualitative.review(cur, ctx.year, inst_id, meta.id, final, comment, ctx.account.username)
                st.success("评审已保存，并记入审计。")
                st.rerun()
            except ValueError as error:
                st.error(str(error))
