"""数据导入 — upload reported CSV/XLSX files within the user's rights (DATA.md): the
regulator any table, an institution only its own rows (`import_files(..., inst_id=...)`),
a district official none (the project pool is loaded by the regulator). Every file is
checked whole first; the validation report lists each error with file, row and column.
Imports queue behind each other (`scoring.writer`): the second user sees that theirs waits."""

from pathlib import Path

import pandas as pd
import streamlit as st

from scoring import contract, dashboard, importer, receipts
from scoring.importing.limits import Limits
from scoring.importing.limits import describe as describe_limits
from ui import data, receipt, session, show

TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "templates" / "templates.xlsx"
REPORT = "import_report"  # session key: the last report stays visible across reruns

ctx = session.context()
st.title("数据导入")

if ctx.role == "institution":
    allowed = [t for t in contract.ORDER if t not in importer.REGULATOR_ONLY]
    st.caption(f"以 {ctx.account.display_name} 身份报送：只接受本机构自己的数据行。可导入的表："
               + "、".join(f"{contract.TABLES[t].label}（{t}）" for t in allowed) + "。")
elif ctx.role == "regulator":
    st.caption("监管用户可导入全部表，包括机构、企业、项目储备库、节假日安排、合作机构名单和违规事项。")
else:
    st.info("区县账号不能在本平台导入数据。按数据报送约定，本平台的每张表只有一个报送方：涉及区县的企业名录和"
            "重点技改项目储备库（入库、备案信息）由市经济信息委统一导入，以保证 41 个单位口径一致、赛马公平；"
            "融资申请、贷款、付息等由金融机构报送本机构的数据。区县新入库项目或需要更正的，请用下方模板中的"
            "“技改项目”“企业”表整理后报送市经济信息委，导入后即进入本区县的储备库台账和区县赛马（D3、D4）。",
            icon=":material/info:")
    who = {t: ("市经济信息委" if t in importer.REGULATOR_ONLY else "金融机构（仅本机构数据）") for t in contract.ORDER}
    district_use = {"enterprises": "整理本区县企业信息，报送市经济信息委", "projects": "整理新入库、备案项目或更正，报送市经济信息委"}
    show.table(pd.DataFrame({"label": [contract.TABLES[t].label for t in contract.ORDER], "table": list(contract.ORDER),
                             "who": [who[t] for t in contract.ORDER],
                             "district": [district_use.get(t, "—") for t in contract.ORDER]}),
               {"label": "数据表", "table": "文件名（表名）", "who": "报送方", "district": "区县可以做什么"},
               key="who_reports")

if TEMPLATES.exists():
    st.download_button("下载报送模板（Excel，每表一页，含中文说明）", TEMPLATES.read_bytes(), file_name="技改专项贷报送模板.xlsx",
                       icon=":material/download:")

if ctx.role != "district":
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader("选择文件（CSV 以文件名为表名，如 loans.csv；XLSX 以工作表名为表名）", type=["csv", "xlsx"],
                                 accept_multiple_files=True)
        submitted = st.form_submit_button("校验并导入", type="primary", icon=":material/upload:")
    st.caption(describe_limits(Limits.from_env()))
    if submitted and files:
        queued = st.empty()
        # a file that writes rows is followed by the results the pages read first (tens of seconds at a million loans)
        with st.spinner("正在校验并写入；写入后为各页面准备新数据的结果，数据量大时需稍候……"), data.cursor() as cur:
            st.session_state[REPORT] = receipts.submit(
                cur, [(f.name, f.getvalue()) for f in files], user=ctx.account.username, inst_id=ctx.scope.inst_id,
                on_wait=lambda: queued.info("排队中：另一项导入正在写入数据库，完成后自动开始本次导入，请勿关闭页面。",
                                            icon=":material/hourglass_top:"))
        queued.empty()

report = st.session_state.get(REPORT)
if report is not None:
    st.subheader("校验报告")
    if report.ok:
        st.success(report.to_text(), icon=":material/check_circle:")
    else:
        st.error(f"导入被拒绝：发现 {len(report.errors):,} 处问题，所有文件均未写入，数据库保持原样。", icon=":material/error:")
        show.grid(report.to_frame())  # the file's own values: made safe to download and copy
    if report.submission_id:
        st.caption(f"回执编号 {report.submission_id}：报送凭证，可下载 Excel 或 PDF（历次回执见“报送记录”）。")
        receipt.show_receipt(report.submission_id, ctx.scope, "import_receipt")

st.subheader("导入记录")
with data.cursor() as cur:  # not cached: a re-import that changes nothing is logged without a new data version
    history = dashboard.import_history(cur, ctx.account.username, ctx.scope)
if history.empty:
    show.empty("还没有导入记录。")
else:
    show.table(history, {"imported_at": "导入时间", "file_name": "文件", "table_name": "表", "rows_total": "行数",
                         "rows_inserted": "新增", "rows_replaced": "替换", "rows_unchanged": "未变",
                         "imported_by": "操作人"}, key="history")
