"""定性自评 — an institution's self-assessment of the qualitative indicators (issue 15 §3): a 0–100
score per indicator with a written justification and evidence attachments (PDF, PNG or JPEG, checked
and stored by content hash), beside the regulator's final score and comments once reviewed."""

import pandas as pd
import streamlit as st

from scoring import evidence, qualitative
from scoring.importing.limits import size_text
from ui import data, session, show

ctx = session.context("institution")
st.title(f"定性自评 · {ctx.year} 年度")
indicators = qualitative.indicators()
st.caption("定性指标由本机构自评、监管部门评审；评审得分按评价办法的权重计入综合得分（人民银行信贷政策导向效果评估约两成为定性）。"
           f"证明材料只接受 {evidence.ACCEPTED} 文件，单个不超过 {evidence.limit() >> 20} MB；评审后自评不能再修改。")

with data.cursor() as cur:
    table = qualitative.scores(cur, ctx.year, ctx.scope)
    attached = evidence.listed(cur, f"Q:{ctx.year}:{ctx.scope.inst_id}:")

st.subheader("自评与评审对照")
show.table(table, {"indicator": "指标", "indicator_name": "名称", "self_score": "自评分", "final_score": "评审得分",
                   "justification": "自评说明", "review_comment": "评审意见"}, key="side_by_side")

for meta in indicators:
    row = table[table["indicator"] == meta.id].iloc[0]
    reviewed = pd.notna(row["final_score"])
    with st.container(border=True):
        st.markdown(f"**{meta.id} {meta.name}**（0–100 分）")
        st.caption(f"评分指引：{meta.guidance}")
        mine = attached[attached["owner"] == qualitative.owner(ctx.year, ctx.scope.inst_id, meta.id)]
        for item in mine.itertuples():
            with data.cursor() as cur:
                found = evidence.content(cur, item.sha256, f"Q:{ctx.year}:{ctx.scope.inst_id}:")
            if found is not None:
                st.download_button(f"证明材料：{item.uploaded_name}（{size_text(item.bytes)}）", found[0],
                                   file_name=found[1], mime="application/octet-stream", key=f"ev_{meta.id}_{item.sha256}")
        if reviewed:
            st.info(f"已评审：{float(row['final_score']):.2f} 分。评审意见：{row['review_comment']}", icon=":material/gavel:")
            continue
        with st.form(f"self_{meta.id}"):
            score = st.number_input("自评分（0–100）", 0.0, 100.0,
                                    float(row["self_score"]) if pd.notna(row["self_score"]) else 0.0, step=0.5)
            text = st.text_area("自评说明（做了什么、效果如何，对照评分指引）",
                                row["justification"] if isinstance(row["justification"], str) else "")
            files = st.file_uploader("证明材料（PDF / PNG / JPEG，可多个）", type=["pdf", "png", "jpg", "jpeg"],
                                     accept_multiple_files=True, key=f"files_{meta.id}")
            saved = st.form_submit_button("保存自评", type="primary", icon=":material/save:")
        if saved:
            try:
                with data.cursor() as cur:
                    qualitative.save_self(cur, ctx.year, ctx.scope.inst_id, meta.id, score, text,
                                          [(f.name, f.getvalue()) for f in files or []], ctx.account.username)
                st.success("自评已保存，并记入审计。")
                st.rerun()
            except ValueError as error:
                st.error(str(error))
