"""Command line: `python -m scoring COMMAND ...` runs the engine in batch.

Each command opens the database named by --db (default: $JIGAI_DB, else the embedded demo
file), calls the engine, and writes files. No command prints a traceback; every failure is a
Chinese message on stderr and an exit code (EXIT_CODES, also in the README).
"""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb
import pyarrow as pa

from scoring import bootstrap, db, dbfile, engine

EXIT_CODES = {
    0: "成功",
    1: "输入被拒绝或命令失败（原因已用中文列出；audit verify：审计链已被改动）",
    2: "用法错误（参数缺失或无效）",
    dbfile.BUSY_EXIT: "数据库正被另一个进程（通常是运行中的平台）占用",
    130: "被用户中断（Ctrl+C）",
}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text!r}") from None


def _yuan(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"金额应为数字（元）：{text!r}") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"金额应为不小于 0 的数字（元）：{text!r}")
    return value


# DuckDB's own memory in a command (it spills to a temporary folder beyond it): with Python,
# Arrow batches and the libraries, a command stays within about 600 MB at 1,000,000 loans. Some
# operators cannot spill, so a much larger database needs more: $JIGAI_DUCKDB_MEMORY raises it.
MEMORY_ENV = "JIGAI_DUCKDB_MEMORY"
MEMORY_LIMIT = os.environ.get(MEMORY_ENV, "256MB")
# Without the variable, a command that writes its results only at the end (atomic files, one
# transaction) is run again with more memory when DuckDB runs out (`evaluate` and `subsidy` did at
# 10,000,000 loans), while the small limit keeps every command within about 600 MB at 1,000,000.
RETRY_LIMITS = () if MEMORY_ENV in os.environ else ("1GB", "4GB")


def _open(args):
    """The database a command works on (`scoring.dbfile`: an explicit file must exist; the
    embedded demo is built on first use; `--wait` waits for another process to let go)."""
    con = dbfile.open_database(args.db, wait=args.wait)
    engine.execute(con, "meta/memory_limit", memory_limit=getattr(args, "memory_limit", MEMORY_LIMIT))
    return con


def _reader(args):
    """The connection a read command runs on: the DuckDB file (--db), or with --engine spark
    the Parquet tables of --data on Spark (scoring/spark_run.py)."""
    if args.engine == "duckdb":
        return _open(args)
    if not args.data:
        _usage_error("使用 --engine spark 时须以 --data 指定 Parquet 数据目录（python -m scoring export --format parquet）")
    from scoring.spark_run import connect

    return connect(args.data, args.master)


def _usage_error(message: str):
    """A combination of options the command cannot run: exit code 2, as argparse's refusals."""
    print(f"用法错误：{message}", file=sys.stderr)
    raise SystemExit(2)


def _policy(args):
    """The policy of --policy FILE (checked, every problem named), or the default file."""
    from scoring.policy import load_policy

    return load_policy(Path(args.policy) if args.policy else None)


def cmd_init(args) -> int:
    path = Path(args.db) if args.db else db.default_path()
    if path.exists() and args.force:
        dbfile.open_database(path, wait=args.wait).close()  # never delete a file the running app holds
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    con = dbfile.open_database(path, wait=args.wait, create=True)
    if args.demo:
        stats = bootstrap.create_demo(con, seed=args.seed, loans=args.loans, publish=True)
        print("演示数据已生成：" + "，".join(f"{k} {v:,} 行" for k, v in stats.items()))
        print("已发布上一完整年度的综合评价，演示账号见 README")
    else:
        print(f"数据库已就绪（含区县参考数据与工作日历）：{path}")
    return 0


def cmd_import(args) -> int:
    from scoring.receipts import submit

    con = _open(args)
    report = submit(con, [Path(p) for p in args.files], user=args.user, inst_id=args.inst, channel="cli",
                    declared=args.period)
    print(report.to_text())
    print(f"回执编号：{report.submission_id}（python -m scoring receipt --id {report.submission_id} --out 回执.xlsx）")
    return 0 if report.ok else 1


def cmd_receipt(args) -> int:
    from scoring.access import REGULATOR, Scope
    from scoring.receipts import receipt, receipt_pdf, receipt_xlsx

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".pdf"):
        raise ValueError(f"回执文件应为 .xlsx 或 .pdf：{out}")
    scope = Scope("institution", inst_id=args.inst) if args.inst else REGULATOR
    found = receipt(_open(args), args.id, scope)
    if found is None:
        raise ValueError(f"没有回执 {args.id}" + (f"（机构 {args.inst}）" if args.inst else ""))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(receipt_xlsx(found) if out.suffix.lower() == ".xlsx" else receipt_pdf(found))
    print(f"回执 {args.id}（{'已接受' if found.accepted else '被拒绝'}）→ {out}")
    return 0


def cmd_sla(args) -> int:
    from scoring.access import REGULATOR
    from scoring.method import load_method
    from scoring.sla import write_stage_table

    policy = _policy(args)
    con = _reader(args)
    week = load_method().sla_week  # "1周" as the built-in method counts it
    # the command line works as the regulator; on either engine the rows are streamed to the file
    rows = write_stage_table(con, args.as_of, args.out, scope=REGULATOR, week=week, policy=policy)
    print(f"已写出 {rows:,} 行 → {args.out}")
    return 0


def cmd_subsidy(args) -> int:
    from scoring.access import REGULATOR
    from scoring.subsidy import write_files

    policy = _policy(args)
    con = _reader(args)
    spark = args.engine == "spark"  # recording a subsidy run is a write to the DuckDB file: not on Spark
    written = write_files(con, args.year, args.out, args.detail, scope=REGULATOR, policy=policy,  # as the regulator
                          record_run=not spark)
    kept = "Spark 引擎，未保存测算记录" if spark else f"测算记录 {written.run_id}"
    print(f"已写出 {written.rows:,} 行 → {args.out}（{kept}，政策参数 {policy.id} {policy.version}）")
    if args.detail:
        print(f"已写出逐笔明细 {written.detail_rows:,} 行 → {args.detail}")
    return 0


def cmd_budget(args) -> int:
    from scoring.budget import load_variant, write

    variant = load_variant(args.variant)
    if args.budget is not None:
        variant = replace(variant, budget=args.budget)
    con = _open(args)
    rows, sums = write(con, args.year, variant, args.out)
    print(f"已写出 {rows:,} 行 → {args.out}（基准 {sums['baseline']:,} 元，方案 {sums['variant']:,} 元，"
          f"预算拨付 {sums['paid']:,} 元，待拨付 {sums['waiting']:,} 元）")
    return 0


def cmd_quality(args) -> int:
    from scoring.access import REGULATOR
    from scoring.export import write_table
    from scoring.quality import findings

    con = _open(args)
    frame = findings(con, args.year, REGULATOR)  # the command line works as the regulator
    write_table(frame, args.out, sheet="quality")
    print(f"已写出 {len(frame):,} 条数据质量问题（{frame['inst_id'].nunique()} 家机构）→ {args.out}")
    return 0


def cmd_forecast(args) -> int:
    from scoring.forecast import forecast, write

    policy = _policy(args)
    con = _open(args)
    method = None
    if args.method:
        from scoring.method import load_method
        method = load_method(Path(args.method))
    projection = forecast(con, args.year, args.as_of, method=method, policy=policy, draws=args.draws)
    paths = write(projection, Path(args.out))
    print(f"{args.year} 年末预测（观察日 {args.as_of}）：{projection.pace.text}")
    for p in paths:
        print(f"  → {p}")
    return 0


def cmd_digest(args) -> int:
    from scoring.digest import write_all

    policy = _policy(args)
    con = _open(args)
    written = write_all(con, args.as_of, Path(args.out), force=args.force, policy=policy)
    if written is None:
        print(f"{args.as_of} 不是工作日（R9），未生成每日提醒；如确需生成请加 --force")
        return 0
    print(f"已写出每日提醒 {len(written) // 2} 份（Excel 与文本各一）→ {args.out}")
    return 0


def cmd_evaluate(args) -> int:
    from scoring.runs import evaluate_and_store, write_outputs

    policy = _policy(args)
    method_text = Path(args.method).read_text(encoding="utf-8") if args.method else None
    if args.engine == "spark":  # run storage and publishing stay in DuckDB
        if args.publish:
            _usage_error("--publish 只能在 DuckDB 引擎上使用：评价运行的保存与发布不在 Spark 上进行")
        from scoring.spark_run import evaluation

        run = evaluation(_reader(args), args.year, method_text, args.draws, policy)
    else:
        run = evaluate_and_store(_open(args), args.year, method_text=method_text, draws=args.draws,
                                 publish=args.publish, policy_text=policy.text)
    paths = write_outputs(run, Path(args.out), args.machine)
    print(f"评价运行 {run.run_id or 'Spark 实时测算'}（{args.year} 年）" + ("，已发布" if args.publish else "，未发布"))
    for p in paths:
        print(f"  → {p}")
    return 0


def cmd_export(args) -> int:
    from scoring.parquet import export_parquet

    paths = export_parquet(_open(args), Path(args.out))
    print(f"已导出 {len(paths)} 张表（Parquet）→ {args.out}")
    return 0


def cmd_report(args) -> int:
    from scoring.report import write_report

    con = _open(args)
    path = write_report(con, args.run, Path(args.out))
    print(f"通报稿已写出 → {path}")
    return 0


def cmd_policy_show(args) -> int:
    from scoring.policy import DEFAULT_POLICY

    sys.stdout.write(DEFAULT_POLICY.read_text(encoding="utf-8"))
    return 0


def cmd_user_add(args) -> int:
    from scoring.auth import add_user

    password = _password()
    con = _open(args)
    add_user(con, args.username, password, role=args.role, inst_id=args.inst, district_code=args.district,
             display_name=args.display_name, email=args.email)
    print(f"已添加用户 {args.username}（{args.role}）")
    return 0


def _engine_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                   help="执行引擎：duckdb（默认，读 --db）或 spark（读 --data 下的 Parquet）")
    p.add_argument("--data", default=None, help="--engine spark 时的 Parquet 数据目录（python -m scoring export 导出）")
    p.add_argument("--master", default="local[2]", help="--engine spark 时的 Spark master（默认 local[2]）")


def _password() -> str:
    """The new password: typed twice at a prompt, or the first line of stdin when it is piped
    (never argv: the process list and the shell history would show it)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise ValueError("两次输入的密码不一致")
    return first


def cmd_token_add(args) -> int:
    from scoring.tokens import add

    token_id, token = add(_open(args), args.inst, args.label or "", args.user)
    print(f"已为机构 {args.inst} 签发 API 令牌 {token_id}。令牌只显示这一次，请立即交给该机构的报送系统保管：")
    print(token)
    return 0


def cmd_token_list(args) -> int:
    from scoring.tokens import list_tokens

    frame = list_tokens(_open(args))
    if frame.empty:
        print("还没有 API 令牌。")
    for t in frame.itertuples():
        state = f"已吊销（{t.revoked_at:%Y-%m-%d %H:%M}）" if t.revoked_at == t.revoked_at and t.revoked_at else "有效"
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at == t.last_used_at and t.last_used_at else "从未使用"
        print(f"{t.token_id}  {t.inst_id}  {t.label}  签发 {t.created_at:%Y-%m-%d %H:%M}（{t.created_by}）  {state}  最近使用 {used}")
    return 0


def cmd_token_revoke(args) -> int:
    from scoring.tokens import revoke

    revoke(_open(args), args.token_id, args.user)
    print(f"令牌 {args.token_id} 已吊销。")
    return 0


def cmd_api(args) -> int:
    from scoring.api import serve

    con = _open(args)
    print(f"报送接口已启动：http://{args.host}:{args.port}/api/v1/（接口说明 /api/v1/openapi.json；Ctrl+C 停止）", flush=True)
    serve(con, args.host, args.port)
    return 0


def cmd_audit_verify(args) -> int:
    from scoring.audit import verify_all

    verdicts = verify_all(_open(args))
    for verdict in verdicts:
        print(verdict.to_text(), file=sys.stdout if verdict.ok else sys.stderr)
    return 0 if all(v.ok for v in verdicts) else 1


class _Parser(argparse.ArgumentParser):
    """argparse with its refusals in Chinese."""

    WORDS = (("the following arguments are required", "缺少必需的参数"), ("unrecognized arguments", "无法识别的参数"),
             ("invalid choice", "无效的取值"), ("expected one argument", "需要一个值"), ("choose from", "可选"),
             ("invalid int value", "不是整数"), ("invalid float value", "不是数字"), ("argument ", "参数 "))

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：", 1)

    def format_help(self) -> str:
        return (super().format_help().replace("usage:", "用法：", 1).replace("positional arguments:", "位置参数：")
                .replace("options:", "选项：").replace("show this help message and exit", "显示本帮助并退出"))

    def error(self, message: str):
        for english, chinese in self.WORDS:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"用法错误：{message}\n")


POLICY_HELP = "政策参数 TOML 文件（默认：内置文件，见 python -m scoring policy show）"


# the commands whose files are written whole at the end, or whose run is stored in one transaction
RETRYABLE = (cmd_sla, cmd_subsidy, cmd_evaluate, cmd_budget, cmd_quality, cmd_forecast)


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="python -m scoring", description="技改专项贷赛马评价平台 命令行",
                  epilog="退出码：" + "；".join(f"{code} {text}" for code, text in EXIT_CODES.items()))
    sub = top.add_subparsers(dest="command", required=True, title="命令")

    def database(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", default=None, help=f"DuckDB 数据库文件，必须已存在（默认：环境变量 {db.DB_ENV}，"
                                                   "都未设置时为内置演示库，首次使用时生成）")
        p.add_argument("--wait", type=float, default=0, metavar="秒",
                       help="数据库被另一个进程（如运行中的平台）占用时最多等待的秒数（默认不等待）")

    def command(name: str, handler, help_text: str, parent=sub) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text)
        database(p)
        p.set_defaults(handler=handler)
        return p

    p = command("init", cmd_init, "创建数据库；--demo 时生成演示数据")
    p.add_argument("--demo", action="store_true", help="生成演示数据")
    p.add_argument("--seed", type=int, default=7, help="随机种子（同一种子生成相同数据）")
    p.add_argument("--loans", type=int, default=None, help="贷款笔数（默认约 6,000）")
    p.add_argument("--force", action="store_true", help="文件已存在时先删除")

    p = command("import", cmd_import, "导入 CSV / XLSX 报送文件（整文件校验，出错则不写入）")
    p.add_argument("files", nargs="+", help="CSV 文件（文件名即表名）或 XLSX 工作簿（工作表名即表名）")
    p.add_argument("--user", default="cli", help="记入审计日志的操作人")
    p.add_argument("--inst", default=None, help="以某机构身份导入：只接受该机构自己的数据")
    p.add_argument("--period", action="append", default=[], metavar="YYYY-MM",
                   help="声明本次报送的期间（可多次；需 --inst）；不声明时按数据行的业务日期所在月份记录")

    p = command("receipt", cmd_receipt, "下载一次报送的回执（.xlsx 或 .pdf）")
    p.add_argument("--id", required=True, help="回执编号（SUB-…）")
    p.add_argument("--out", required=True, help="输出文件（.xlsx 或 .pdf）")
    p.add_argument("--inst", default=None, help="以某机构身份查看：只能查看本机构的回执")

    p = command("sla", cmd_sla, "“3个1”限时办结：每笔申请每个环节的状态（R9–R10）")
    _engine_flags(p)
    p.add_argument("--as-of", type=_day, default=date.today(), help="观察日 YYYY-MM-DD（默认今天）")
    p.add_argument("--out", required=True, help="输出文件（.csv、.xlsx 或 .parquet）")
    p.add_argument("--policy", default=None, help=POLICY_HELP)

    p = command("subsidy", cmd_subsidy, "贴息、奖补与保费补贴（R1–R8）")
    _engine_flags(p)
    p.add_argument("--year", type=int, required=True, help="补贴年度")
    p.add_argument("--out", required=True, help="输出文件（.csv、.xlsx 或 .parquet）")
    p.add_argument("--detail", default=None, help="另写逐笔付息明细到此文件（.csv、.xlsx 或 .parquet）")
    p.add_argument("--policy", default=None, help=POLICY_HELP)

    p = command("budget", cmd_budget, "贴息预算模拟：按规则方案重算当年全部补贴，与基准对照，并按拨付队列计算预算可付部分（R1–R7）")
    p.add_argument("--year", type=int, required=True, help="补贴年度")
    p.add_argument("--variant", default=None, help="规则方案：政策参数 TOML 文件，可只写要改的项，另可有 [budget] 节（默认：现行政策）")
    p.add_argument("--budget", type=_yuan, default=None, help="预算（元），覆盖方案文件中的 budget.amount（默认不限）")
    p.add_argument("--out", required=True, help="输出文件（.csv、.xlsx 或 .parquet），每个项目每类补贴一行")

    p = command("quality", cmd_quality, "报送数据质量：逐条列出可疑数据（规则 Q1–Q8）及中文说明")
    p.add_argument("--year", type=int, required=True, help="年度")
    p.add_argument("--out", required=True, help="输出文件（.csv、.xlsx 或 .parquet），每条问题一行")

    p = command("forecast", cmd_forecast, "年末预测：按目前进度和往年季节性推算各机构、各区县的年末得分、等级、名次与遴选（含区间）")
    p.add_argument("--year", type=int, required=True, help="评价年度")
    p.add_argument("--as-of", type=_day, required=True, help="观察日 YYYY-MM-DD（12 月 31 日即实际评价）")
    p.add_argument("--out", required=True, help="输出目录（institutions.csv、districts.csv）")
    p.add_argument("--method", default=None, help="评价办法 TOML 文件（默认：内置办法）")
    p.add_argument("--draws", type=int, default=200, help="区间的自助抽样次数")
    p.add_argument("--policy", default=None, help=POLICY_HELP)

    p = command("digest", cmd_digest, "每日提醒：每家机构、每个区县和监管部门各一份 Excel 与文本（仅工作日）")
    p.add_argument("--as-of", type=_day, default=date.today(), help="提醒日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--out", required=True, help="输出目录（B01.xlsx、B01.txt、500191.xlsx、regulator.xlsx ……）")
    p.add_argument("--force", action="store_true", help="非工作日也生成")
    p.add_argument("--policy", default=None, help=POLICY_HELP)

    p = command("evaluate", cmd_evaluate, "综合评价、揭榜挂帅遴选、加分、等级与区县赛马（R12–R16）")
    _engine_flags(p)
    p.add_argument("--year", type=int, required=True, help="评价年度")
    p.add_argument("--method", default=None, help="评价办法 TOML 文件（默认：内置办法）")
    p.add_argument("--out", required=True, help="输出目录")
    p.add_argument("--draws", type=int, default=1000, help="稳健性抽样次数")
    p.add_argument("--publish", action="store_true", help="发布本次评价（发布后不可更改）")
    p.add_argument("--machine", choices=("csv", "parquet"), default="csv",
                   help="机器可读结果的格式（institutions/districts，默认 csv）；evaluation.xlsx 为供阅读的工作簿")
    p.add_argument("--policy", default=None, help=POLICY_HELP)

    p = command("export", cmd_export, "导出全部数据表为 Parquet（供 --engine spark 读取；不含账号表）")
    p.add_argument("--format", choices=["parquet"], default="parquet", help="导出格式")
    p.add_argument("--out", required=True, help="输出目录（每张表一个 <表名>.parquet）")

    p = command("report", cmd_report, "生成年度通报稿（.docx）")
    p.add_argument("--run", required=True, help="评价运行编号")
    p.add_argument("--out", required=True, help="输出 .docx 文件")

    p = sub.add_parser("policy", help="政策参数（R1–R11）", description="政策参数（R1–R11）")
    policy_sub = p.add_subparsers(dest="action", required=True, title="操作")
    policy_sub.add_parser("show", help="显示内置政策参数文件（可复制修改后用 --policy 指定）").set_defaults(
        handler=cmd_policy_show)

    p = sub.add_parser("user", help="用户管理", description="用户管理")
    user_sub = p.add_subparsers(dest="action", required=True, title="操作")
    p = command("add", cmd_user_add, "添加或重置用户；密码在提示符下输入两次，或从标准输入读第一行（不接受命令行参数）",
                parent=user_sub)
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["regulator", "district", "institution"])
    p.add_argument("--inst", default=None, help="机构用户所属机构编号")
    p.add_argument("--district", default=None, help="区县用户所属区县代码")
    p.add_argument("--display-name", default=None, help="显示名称")
    p.add_argument("--email", default=None, help="配置统一身份认证（OIDC）时用于对应账号的邮箱")

    p = sub.add_parser("token", help="API 令牌（机构报送系统使用）", description="API 令牌（机构报送系统使用）")
    token_sub = p.add_subparsers(dest="action", required=True, title="操作")
    p = command("add", cmd_token_add, "为机构签发 API 令牌（令牌只显示一次，库中只存其哈希）", parent=token_sub)
    p.add_argument("--inst", required=True, help="机构编号")
    p.add_argument("--label", default=None, help="令牌说明（如“某某银行报送系统”）")
    p.add_argument("--user", default="cli", help="记入审计的签发人")
    command("list", cmd_token_list, "列出全部令牌（不显示令牌本身）", parent=token_sub)
    p = command("revoke", cmd_token_revoke, "吊销令牌", parent=token_sub)
    p.add_argument("token_id", help="令牌编号（如 T0001）")
    p.add_argument("--user", default="cli", help="记入审计的操作人")

    p = command("api", cmd_api, "启动机构报送 HTTP 接口（/api/v1）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认只在本机）")
    p.add_argument("--port", type=int, default=8616, help="端口（默认 8616）")

    p = sub.add_parser("audit", help="审计", description="审计")
    audit_sub = p.add_subparsers(dest="action", required=True, title="操作")
    command("verify", cmd_audit_verify, "核验导入审计日志与登录审计的哈希链：完整时退出码 0，否则指出第一处断裂并返回 1",
            parent=audit_sub)
    return top


def _within_memory(args) -> int:
    """Run the command under MEMORY_LIMIT, then each of RETRY_LIMITS if it is retryable and runs out."""
    limits = (MEMORY_LIMIT, *RETRY_LIMITS) if args.handler in RETRYABLE else (MEMORY_LIMIT,)
    for limit, larger in zip(limits, (*limits[1:], None)):
        args.memory_limit = limit
        try:
            return args.handler(args)
        except duckdb.OutOfMemoryException:
            if larger is None:
                raise
            print(f"提示：内存上限 {limit} 不足，以 {larger} 重新运行本命令……", file=sys.stderr)


@contextmanager
def _noting_interrupts() -> Iterator[threading.Event]:
    """An event set when Ctrl-C arrives during the block. DuckDB's client (2.0) turns the KeyboardInterrupt
    raised inside a query into RuntimeError("Query interrupted"), which the user is told as the interrupt it
    was, not as a failure to report. Only in the main thread, and only where Ctrl-C is not ignored (a
    background job's)."""
    interrupted = threading.Event()
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield interrupted
        return

    def note(signum, frame) -> None:
        interrupted.set()
        signal.default_int_handler(signum, frame)

    signal.signal(signal.SIGINT, note)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Arrow's default allocator (mimalloc) keeps the pages each thread has freed: with the export's formatting
    # threads (`export.FORMATTERS`) `subsidy --detail` peaked at 605–630 MiB at a million loans, on the system's
    # allocator at 537–549 MiB, as fast (README, twenty-fourth pass)
    pa.set_memory_pool(pa.system_memory_pool())
    with _noting_interrupts() as interrupted:
        return _run(args, interrupted)


def _run(args, interrupted: threading.Event) -> int:
    try:
        return _within_memory(args)
    except (KeyboardInterrupt, duckdb.InterruptException):
        return _stopped()
    except Exception as error:
        if interrupted.is_set():  # whatever Ctrl-C broke on its way out (DuckDB's RuntimeError: `_noting_interrupts`)
            return _stopped()
        return _failed(error, args)


def _failed(error: Exception, args) -> int:
    """Tell the user why the command failed, in Chinese and never as a traceback; the exit status."""
    if isinstance(error, dbfile.Unavailable):
        print(f"错误：{error}", file=sys.stderr)
        return dbfile.BUSY_EXIT if error.busy else 1
    if isinstance(error, ValueError):  # the engine's refusals carry a Chinese message for the user
        message = f"错误：{error}"
    elif isinstance(error, duckdb.OutOfMemoryException):
        message = (f"错误：数据库操作超出内存上限 {args.memory_limit}。数据量较大时可提高上限后重试，"
                   f"例如 {MEMORY_ENV}=8GB python -m scoring …")
    elif isinstance(error, duckdb.Error):
        message = f"错误：数据库操作失败：{error}"
    elif isinstance(error, OSError):
        message = f"错误：无法读写文件 {error.filename or ''}：{error.strerror or error}"
    else:  # say what failed and where to look
        message = f"错误：命令执行失败（{type(error).__name__}：{error}）。请把这条信息发给系统管理员。"
    print(message, file=sys.stderr)
    return 1


def _stopped() -> int:
    print("已中断。", file=sys.stderr)
    return 130


if __name__ == "__main__":
    sys.exit(main())
