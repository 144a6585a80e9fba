"""评价运行 — run the year's evaluation (R12–R16), keep it as a draft, publish it (after
which it is immutable and writes next year's cooperating list, R13), and download the
workbook and the 通报 draft."""

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from scoring import report, runs
from scoring.method import MethodError, load_method
from ui import data, results, session, show

ctx = session.context("regulator")
st.title("评价运行")
st.caption("每次运行保存评价办法与政策参数的原文及其哈希、所读数据的指纹和全部结果，可在多年后复现；发布后不可更改或删除。")

with st.form("new_run"):
    st.markdown(f"**新建 {ctx.year} 年度评价**（年度在左侧边栏选择）")
    method_file = st.file_uploader("评价办法（TOML，可选；不上传则使用默认办法）", type=["toml"])
    draws = st.number_input("稳健性抽样次数", min_value=100, max_value=5000, value=1000, step=100)
    submitted = st.form_submit_button("运行评价并保存为草稿", type="primary", icon=":material/play_arrow:")
if submitted:
    method_text = method_file.getvalue().decode("utf-8") if method_file else None
    try:
        if method_text:
            load_method(method_text)  # a readable Chinese message for a bad file before any work
        with st.spinner("正在评价……"), data.cursor() as cur:
            run = runs.evaluate_and_store(cur, ctx.year, method_text=method_text, draws=int(draws),
                                          policy_text=ctx.policy.text)
        st.success(f"已保存评价运行 {run.run_id}（草稿）。")
    except MethodError as error:
        st.error(f"评价办法文件有误：{error}")

stored = results.year_runs(ctx.year)
if stored.empty:
    show.empty(f"{ctx.year} 年度还没有保存的评价运行。")
    st.stop()

run_id = st.selectbox("评价运行", stored["run_id"], format_func=dict(
    zip(stored["run_id"], [results.run_label(r) for r in stored.itertuples()], strict=True)).get, key="runs_run")
run = data.load_shared(runs.load_run, run_id, scope=None)
cols = st.columns(4)
cols[0].metric("状态", (f"已被 {run.run.superseded_by} 取代" if run.run.superseded_by else "已发布") if run.published
               else "草稿", border=True, help=f"更正评价，取代 {run.run.supersedes}：{run.run.correction_reason}"
               if run.run.supersedes else None)
cols[1].metric("评价办法版本", run.method.version, border=True, help=run.method.name)
cols[2].metric("“3个1”观察日", f"{run.as_of:%Y-%m-%d}", border=True)
cols[3].metric("入选机构", f"{int(run.institutions['selected'].sum())} 家", border=True)
st.caption(f"评价办法 SHA-256：{run.method.sha256}；政策参数 SHA-256：{run.policy.sha256 if run.policy else '未记录'}；"
           f"数据指纹 SHA-256：{run.run.data_sha256}")


def outputs() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        paths = runs.write_outputs(run, Path(folder))
        return next(p for p in paths if p.suffix == ".xlsx").read_bytes()


def machine_readable() -> bytes:
    """institutions.csv and districts.csv in one zip: every column under its program name, for other systems."""
    with tempfile.TemporaryDirectory() as folder:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in runs.write_machine_readable(run, Path(folder)):
                archive.write(path, path.name)
        return buffer.getvalue()


def notice() -> bytes:
    with tempfile.TemporaryDirectory() as folder, data.cursor() as cur:
        return report.write_report(cur, run.run_id, Path(folder) / "通报.docx").read_bytes()


left, machine, middle, right = st.columns(4)
left.download_button("下载评价结果（Excel）", outputs, file_name=f"评价结果_{run.run_id}.xlsx",
                     icon=":material/download:", help="供阅读和转发：每类机构一张表、区县赛马、评价办法与数据指纹；金额为亿元。")
machine.download_button("下载机器可读结果（CSV）", machine_readable, file_name=f"评价结果_{run.run_id}_csv.zip",
                        icon=":material/data_object:",
                        help="供其他系统读取：全部字段（英文字段名，金额为元、比例为小数）；命令行为 evaluate --machine csv|parquet。")
middle.download_button("下载通报稿（Word）", notice, file_name=f"通报稿_{run.run_id}.docx", icon=":material/description:")
if not run.published:
    with right.popover("发布或删除", icon=":material/publish:"):
        st.warning("发布后该运行不可更改或删除，其遴选结果将写入下一年度合作机构名单（R13）。同一年度只能发布一次。")
        if st.button("确认发布", type="primary", key="publish"):
            try:
                with data.cursor() as cur:
                    runs.publish(cur, run.run_id)
                st.rerun()
            except runs.RunError as error:
                st.error(str(error))
        if st.button("删除此草稿", key="delete"):
            with data.cursor() as cur:
                runs.delete_run(cur, run.run_id)
            st.rerun()

st.subheader("全部评价运行")
with data.cursor() as cur:
    listed = runs.list_runs(cur)
state = listed["published"].map({True: "已发布", False: "草稿"}).where(
    listed["superseded_by"].isna(), "已被 " + listed["superseded_by"].fillna("") + " 取代")
show.table(listed.assign(published=state),
           {"run_id": "运行编号", "year": "年度", "method_name": "评价办法", "method_version": "版本",
            "as_of": "观察日", "draws": "抽样次数", "created_at": "运行时间", "published": "状态",
            "published_at": "发布时间"}, key="all_runs")
