"""数据质量 — the reports a supervisor would doubt (scoring/quality.py, rules Q1–Q8): for an
institution its own findings, row by row, to fix; for the regulator every institution's score
and findings. Scoping is the engine's: an institution's queries return its own rows only."""

import streamlit as st

from scoring import quality
from ui import data, foresight, session, show

ctx = session.context("regulator", "institution")
regulator = ctx.scope.role == "regulator"
st.title(f"数据质量 · {ctx.year} 年")
st.caption("按规则逐条检查报送数据中值得怀疑之处（贷款按签约年度、申请按登记年度、付息按付息年度归属）。"
           "数据质量得分 0–100 分：每条规则最多扣 12.5 分，按该规则所查数据中有问题的比例扣分，达到 5% 即扣满。"
           "数据质量问题默认不计入综合评价；评价办法可设置按条扣分（flags.quality_deduct）。")

found = data.load(quality.findings, ctx.year, scope=ctx.scope)
scores = data.load(quality.scores, ctx.year, scope=ctx.scope)

with st.expander("检查规则（Q1–Q8）", icon=":material/rule:"):
    st.markdown("\n".join(f"- **{r.id}** {r.title}" for r in quality.RULES.values()))

if regulator:
    cols = st.columns(3)
    cols[0].metric("问题条数", f"{len(found):,}", border=True)
    cols[1].metric("涉及机构", f"{found['inst_id'].nunique()} 家", border=True)
    cols[2].metric("得分最低的机构", scores.sort_values("quality_score").iloc[0]["name"] if len(scores) else "—",
                   f"{scores['quality_score'].min():.1f} 分" if len(scores) else None, delta_color="off",
                   delta_arrow="off", border=True)
    flagged = scores[scores["findings"] > 0].assign(label=lambda f: f["name"])
    if flagged.empty:
        show.empty("本年度未发现数据质量问题。")
    else:
        show.chart(foresight.quality_scores, flagged, f"有问题的机构的数据质量得分（{ctx.year} 年）")
    show.table(scores.sort_values(["quality_score", "inst_id"]),
               {"inst_id": "机构编号", "name": "机构", "quality_score": "数据质量得分", "findings": "问题条数",
                **{r: r for r in quality.RULES}, "loans": "当年贷款笔数", "applications": "当年申请笔数",
                "payments": "当年付息笔数"}, key="quality_scores")
    chosen = st.multiselect("只看这些机构的问题", sorted(found["inst_id"].unique()), key="quality_inst")
    shown = found[found["inst_id"].isin(chosen)] if chosen else found
else:
    me = scores.iloc[0] if len(scores) else None
    cols = st.columns(3)
    cols[0].metric("本机构数据质量得分", f"{me['quality_score']:.1f} 分" if me is not None else "—", border=True)
    cols[1].metric("需核实更正的记录", f"{len(found):,} 条", border=True)
    cols[2].metric("涉及规则", "、".join(sorted(found["rule_id"].unique())) or "无", border=True)
    if found.empty:
        st.success("本年度报送数据未发现问题。", icon=":material/check_circle:")
    shown = found
    st.caption("请核实下列记录：确有错误的，按原编号更正后重新导入（整行替换，留有审计记录）；数据无误的，可向监管部门说明。")

if not shown.empty:
    st.subheader("问题清单")
    show.table(shown, {"inst_id": "机构编号", "rule_id": "规则", "table": "数据表", "key": "记录编号",
                       "explanation": "说明"}, key="quality_findings")
    st.download_button("下载问题清单（Excel）", lambda: show.workbook_bytes({"数据质量": shown}),  # built when clicked
                       file_name=f"数据质量-{ctx.year}.xlsx", icon=":material/download:")
