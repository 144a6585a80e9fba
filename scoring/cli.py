"""Command line: `python -m scoring COMMAND ...` runs the engine in batch.

Each command opens the database named by --db (default: the embedded demo file),
calls the engine, and writes files. Exit code 0 on success, 1 when input is rejected,
2 on a usage error.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from scoring import bootstrap, db


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text!r}") from None


def _open(path: str | None):
    """The database a command works on: the embedded demo (created on first use) when
    --db is not given; an explicit --db must exist (create one with `init`)."""
    if path is None:
        return bootstrap.connect()
    if path != ":memory:" and not Path(path).exists():
        raise SystemExit(f"数据库文件不存在：{path}（可先运行 python -m scoring init --db {path}）")
    return bootstrap.connect(path, demo_if_missing=False)


def _reader(args):
    """The connection a read command runs on: the DuckDB file (--db), or with --engine spark
    the Parquet tables of --data on Spark (scoring/spark_run.py)."""
    if args.engine == "duckdb":
        return _open(args.db)
    if not args.data:
        raise SystemExit("使用 --engine spark 时须以 --data 指定 Parquet 数据目录（python -m scoring export --format parquet）")
    from scoring.spark_run import connect

    return connect(args.data, args.master)


def _policy(args):
    """The policy of --policy FILE (checked, every problem named), or the default file."""
    from scoring.policy import load_policy

    return load_policy(Path(args.policy) if args.policy else None)


def cmd_init(args) -> int:
    path = Path(args.db) if args.db else db.default_path()
    if path.exists() and args.force:
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    con = bootstrap.connect(path, demo_if_missing=False)
    if args.demo:
        stats = bootstrap.create_demo(con, seed=args.seed, loans=args.loans, publish=True)
        print("演示数据已生成：" + "，".join(f"{k} {v:,} 行" for k, v in stats.items()))
        print("已发布上一完整年度的综合评价，演示账号见 README")
    else:
        print(f"数据库已就绪（含区县参考数据与工作日历）：{path}")
    return 0


def cmd_import(args) -> int:
    from scoring.importer import import_files

    con = _open(args.db)
    report = import_files(con, [Path(p) for p in args.files], user=args.user, inst_id=args.inst)
    print(report.to_text())
    return 0 if report.ok else 1


def cmd_sla(args) -> int:
    from scoring.access import REGULATOR
    from scoring.export import write_table
    from scoring.sla import stage_table

    policy = _policy(args)
    con = _reader(args)
    frame = stage_table(con, args.as_of, scope=REGULATOR, policy=policy)  # the command line works as the regulator
    write_table(frame, args.out, sheet="sla")
    print(f"已写出 {len(frame):,} 行 → {args.out}")
    return 0


def cmd_subsidy(args) -> int:
    from scoring.export import write_table
    from scoring.subsidy import payment_detail, record, subsidy_table

    policy = _policy(args)
    con = _reader(args)
    frame = subsidy_table(con, args.year, policy=policy)
    write_table(frame, args.out, sheet="subsidy")
    if args.engine == "spark":  # recording a subsidy run is a write: it stays in DuckDB
        print(f"已写出 {len(frame):,} 行 → {args.out}（Spark 引擎，未保存测算记录；政策参数 {policy.id} {policy.version}）")
    else:
        run_id = record(con, args.year, frame, policy)
        print(f"已写出 {len(frame):,} 行 → {args.out}（测算记录 {run_id}，政策参数 {policy.id} {policy.version}）")
    if args.detail:
        detail = payment_detail(con, args.year, policy=policy)
        write_table(detail, args.detail, sheet="payments")
        print(f"已写出逐笔明细 {len(detail):,} 行 → {args.detail}")
    return 0


def cmd_evaluate(args) -> int:
    from scoring.runs import evaluate_and_store, write_outputs

    policy = _policy(args)
    method_text = Path(args.method).read_text(encoding="utf-8") if args.method else None
    if args.engine == "spark":  # run storage and publishing stay in DuckDB
        if args.publish:
            raise SystemExit("--publish 只能在 DuckDB 引擎上使用：评价运行的保存与发布不在 Spark 上进行")
        from scoring.spark_run import evaluation

        run = evaluation(_reader(args), args.year, method_text, args.draws, policy)
    else:
        run = evaluate_and_store(_open(args.db), args.year, method_text=method_text, draws=args.draws,
                                 publish=args.publish, policy_text=policy.text)
    paths = write_outputs(run, Path(args.out))
    print(f"评价运行 {run.run_id or 'Spark 实时测算'}（{args.year} 年）" + ("，已发布" if args.publish else "，未发布"))
    for p in paths:
        print(f"  → {p}")
    return 0


def cmd_export(args) -> int:
    from scoring.parquet import export_parquet

    paths = export_parquet(_open(args.db), Path(args.out))
    print(f"已导出 {len(paths)} 张表（Parquet）→ {args.out}")
    return 0


def cmd_report(args) -> int:
    from scoring.report import write_report

    con = _open(args.db)
    path = write_report(con, args.run, Path(args.out))
    print(f"通报稿已写出 → {path}")
    return 0


def cmd_policy_show(args) -> int:
    from scoring.policy import DEFAULT_POLICY

    sys.stdout.write(DEFAULT_POLICY.read_text(encoding="utf-8"))
    return 0


def cmd_user_add(args) -> int:
    from scoring.auth import add_user

    password = args.password or getpass.getpass("密码：")
    con = _open(args.db)
    add_user(con, args.username, password, role=args.role, inst_id=args.inst, district_code=args.district,
             display_name=args.display_name, email=args.email)
    print(f"已添加用户 {args.username}（{args.role}）")
    return 0


def _engine_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                   help="执行引擎：duckdb（默认，读 --db）或 spark（读 --data 下的 Parquet）")
    p.add_argument("--data", default=None, help="--engine spark 时的 Parquet 数据目录（python -m scoring export 导出）")
    p.add_argument("--master", default="local[2]", help="--engine spark 时的 Spark master（默认 local[2]）")


POLICY_HELP = "政策参数 TOML 文件（默认：内置文件，见 python -m scoring policy show）"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m scoring", description="技改专项贷赛马评价平台 命令行")
    sub = top.add_subparsers(dest="command", required=True)

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", default=None, help="DuckDB 数据库文件（默认：内置演示库，首次使用时生成）")
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

    p = command("sla", cmd_sla, "“3个1”限时办结：每笔申请每个环节的状态（R9–R10）")
    _engine_flags(p)
    p.add_argument("--as-of", type=_day, default=date.today(), help="观察日 YYYY-MM-DD（默认今天）")
    p.add_argument("--out", required=True, help="输出文件（.csv 或 .xlsx）")
    p.add_argument("--policy", default=None, help=POLICY_HELP)

    p = command("subsidy", cmd_subsidy, "贴息、奖补与保费补贴（R1–R8）")
    _engine_flags(p)
    p.add_argument("--year", type=int, required=True, help="补贴年度")
    p.add_argument("--out", required=True, help="输出文件（.csv 或 .xlsx）")
    p.add_argument("--detail", default=None, help="另写逐笔付息明细到此文件")
    p.add_argument("--policy", default=None, help=POLICY_HELP)

    p = command("evaluate", cmd_evaluate, "综合评价、揭榜挂帅遴选、加分、等级与区县赛马（R12–R16）")
    _engine_flags(p)
    p.add_argument("--year", type=int, required=True, help="评价年度")
    p.add_argument("--method", default=None, help="评价办法 TOML 文件（默认：内置办法）")
    p.add_argument("--out", required=True, help="输出目录")
    p.add_argument("--draws", type=int, default=1000, help="稳健性抽样次数")
    p.add_argument("--publish", action="store_true", help="发布本次评价（发布后不可更改）")
    p.add_argument("--policy", default=None, help=POLICY_HELP)

    p = command("export", cmd_export, "导出全部数据表为 Parquet（供 --engine spark 读取；不含账号表）")
    p.add_argument("--format", choices=["parquet"], default="parquet", help="导出格式")
    p.add_argument("--out", required=True, help="输出目录（每张表一个 <表名>.parquet）")

    p = command("report", cmd_report, "生成年度通报稿（.docx）")
    p.add_argument("--run", required=True, help="评价运行编号")
    p.add_argument("--out", required=True, help="输出 .docx 文件")

    p = sub.add_parser("policy", help="政策参数（R1–R11）", description="政策参数（R1–R11）")
    policy_sub = p.add_subparsers(dest="action", required=True)
    policy_sub.add_parser("show", help="显示内置政策参数文件（可复制修改后用 --policy 指定）").set_defaults(
        handler=cmd_policy_show)

    p = command("user", None, "用户管理")
    user_sub = p.add_subparsers(dest="action", required=True)
    p = user_sub.add_parser("add", help="添加或重置用户")
    p.add_argument("--db", default=None, help="DuckDB 数据库文件（默认：内置演示库）")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["regulator", "district", "institution"])
    p.add_argument("--inst", default=None, help="机构用户所属机构编号")
    p.add_argument("--district", default=None, help="区县用户所属区县代码")
    p.add_argument("--display-name", default=None, help="显示名称")
    p.add_argument("--email", default=None, help="配置统一身份认证（OIDC）时用于对应账号的邮箱")
    p.add_argument("--password", default=None, help="不给则交互输入")
    p.set_defaults(handler=cmd_user_add)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except ValueError as error:  # the engine's refusals carry a Chinese message for the user
        print(f"错误：{error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
