"""登录审计 — the regulator's view of sign-in attempts (successes, failures, throttled and
refused ones) and the state of the two hash-chained audit trails (`scoring.audit`)."""

import streamlit as st

from scoring import audit, auth
from ui import data, session, show

OUTCOMES = {"success": "成功", "failure": "密码错误或无此用户", "throttled": "因失败过多被拒", "busy": "系统繁忙被拒"}

ctx = session.context("regulator")
st.title("登录审计")
st.caption("内置账号的每次登录尝试都记入 login_events（含失败、因失败过多被暂停和系统繁忙被拒的尝试），"
           "与导入审计日志一样按哈希链封存；同一账号或同一来源地址连续失败后须等待，失败过多时暂时锁定。")

with data.cursor() as cur:  # not cached: the regulator looks here to see what happens now
    summary = auth.login_summary(cur, hours=24)
    events = auth.login_events(cur, limit=500)

st.subheader("最近 24 小时（按账号）")
if summary.empty:
    show.empty("最近 24 小时没有登录尝试。")
else:
    show.table(summary, {"username": "账号（按输入）", "successes": "成功（次）", "failures": "失败（次）",
                         "refused": "被拒（次）", "clients": "来源地址（个）", "last_attempt": "最近一次"}, key="summary")

st.subheader("最近 500 次登录尝试")
if events.empty:
    show.empty("还没有登录记录。")
else:
    show.table(events.assign(outcome=events["outcome"].map(OUTCOMES)),
               {"event_id": "序号", "attempted_at": "时间", "username": "账号（按输入）", "client": "来源地址",
                "outcome": "结果"}, key="events")

st.subheader("审计链核验")
st.caption("逐行重算导入审计日志与登录审计的哈希链，发现手工修改、删除或插入的行（命令行：python -m scoring audit verify）。")
if st.button("核验审计链", icon=":material/verified_user:"):
    with st.spinner("正在核验……"), data.cursor() as cur:
        verdicts = audit.verify_all(cur)
    for verdict in verdicts:
        (st.success if verdict.ok else st.error)(verdict.to_text())
