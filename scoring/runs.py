"""Stored evaluation runs: evaluate, keep, publish, reload, write out (R12–R16).

A run keeps the exact method file and its SHA-256, a fingerprint of the data it read
(`queries/runs/data_checksum.sql`: per table a row count and the sum of a hash of every row,
which needs no sort, combined into one SHA-256), the parameters (as-of day, draws, seed), the time, and every
result (tables `run_institutions`, `run_districts`, `run_indicators`, `run_drop_one`,
keyed by run_id). The same method on the same data gives the same fingerprint and the
same results, to the last bit. The row hash is DuckDB's: a draft computed before an upgrade
of DuckDB that changed it must be evaluated again before it can be published.

Publishing makes a run immutable — changing, deleting or publishing it again raises — and
writes its selection as the cooperating list of the next year (`cooperation`, source
`evaluation`), replacing whatever list that year had (R13). A year is published once, and
only from a run whose data fingerprint still matches the database (no stale drafts).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from scoring import db, engine
from scoring.evaluation import (DISTRICT_HEAD, DROP_ONE_COLUMNS, INDICATOR_COLUMNS, INSTITUTION_HEAD, Result,
                                RunFacts, evaluate)
from scoring.method import load_method
from scoring.period import Period
from scoring.export import write_table
from scoring.workbook import write_results_workbook
from scoring.policy import load_policy
from scoring.registry import load_registry

# Each of a Result's tables and the run table that keeps it, as it is.
TABLES = {"institution_rows": ("run_institutions", INSTITUTION_HEAD),
          "district_rows": ("run_districts", DISTRICT_HEAD),
          "indicators": ("run_indicators", INDICATOR_COLUMNS),
          "drop_one": ("run_drop_one", DROP_ONE_COLUMNS)}
RESULT_TABLES = tuple(table for table, _ in TABLES.values())


class RunError(ValueError):
    """A refused operation on a stored run (message in Chinese)."""


def evaluate_and_store(con: duckdb.DuckDBPyConnection, year: int, method_text: str | None = None,
                       draws: int = 1000, publish: bool = False, as_of: date | None = None,
                       policy_text: str | None = None) -> Result:
    """Evaluate `year` with the method and the policy (default files when None), store the
    run, optionally publish it; returns the stored run as read back."""
    result = evaluate(con, Period.of(year, as_of=as_of), load_method(method_text), draws=draws,
                      policy=load_policy(policy_text))
    run_id = store(con, result)
    if publish:  # `store` has just fingerprinted the data the run read: no second pass over every table
        return _publish(con, load_run(con, run_id), check_data=False)
    return load_run(con, run_id)


def data_fingerprint(con: duckdb.DuckDBPyConnection, period: Period) -> tuple[str, dict]:
    """SHA-256 over the per-table checksums of the rows an evaluation of `period` reads, and those checksums."""
    params = {"year": period.year, "period_end": period.data_end, "calendar_start": date(period.year - 1, 1, 1)}
    tables = {row.table_name: {"rows": int(row.row_count), "checksum": row.checksum}
              for row in engine.query(con, "runs/data_checksum", scope=None, **params).itertuples()}
    text = "\n".join(f"{name}:{t['rows']}:{t['checksum']}" for name, t in sorted(tables.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), tables


def store(con: duckdb.DuckDBPyConnection, result: Result) -> str:
    """Keep an evaluation as a new draft run: its facts in `evaluation_runs`, each of its tables
    as it is in its run table; returns the run_id."""
    data_sha256, tables = data_fingerprint(con, result.period)
    sequence = engine.query(con, "runs/next_id", scope=None, year=result.year).iat[0, 0]
    run_id = f"E{result.year}-{sequence:03d}"
    method, policy = result.method, result.policy
    header = pd.DataFrame([{
        "run_id": run_id, "year": result.year, "method_id": method.id, "method_version": method.version,
        "method_name": method.name, "method_text": method.text, "method_sha256": method.sha256,
        "policy_text": policy.text if policy else None, "policy_sha256": policy.sha256 if policy else None,
        "registry_text": method.registry.text,
        "data_sha256": data_sha256, "data_tables": json.dumps(tables, sort_keys=True), "as_of": result.as_of,
        "draws": result.draws, "seed": result.seed, "created_at": datetime.now(), "published_at": None,
    }])
    with engine.transaction(con):
        _insert(con, "evaluation_runs", header)
        for name, (table, _) in TABLES.items():
            _insert(con, table, getattr(result, name).assign(run_id=run_id))
    return run_id


def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> Result:
    """Publish a run (R13): immutable from now on; its selection becomes next year's cooperating list."""
    return _publish(con, load_run(con, run_id), check_data=True)


def _publish(con: duckdb.DuckDBPyConnection, run: Result, check_data: bool) -> Result:
    """`publish`; `check_data` refuses a run whose data have changed since (a fingerprint pass)."""
    _refuse_if_published(run, "发布")
    already = engine.query(con, "runs/published_of_year", scope=None, year=run.year).values.tolist()
    if already:
        raise RunError(f"{run.year} 年度评价已发布（运行 {already[0][0]}），同一年度只能发布一次")
    if check_data and data_fingerprint(con, run.period)[0] != run.run.data_sha256:
        raise RunError(f"评价运行 {run.run_id} 之后数据已有变更，请重新运行评价后再发布")
    with engine.transaction(con):
        engine.execute(con, "runs/publish", now=datetime.now(), run_id=run.run_id)
        engine.execute(con, "runs/clear_cooperation", next=run.year + 1)
        engine.execute(con, "runs/write_cooperation", next=run.year + 1, run_id=run.run_id)
    db.bump_data_version(con, reported=False)
    return load_run(con, run.run_id)


def supersede(con: duckdb.DuckDBPyConnection, old_id: str, new_id: str, reason: str) -> None:
    """Publish the draft `new_id` as the correction of the published `old_id` (issue 15 §4), inside the
    caller's transaction: the new run is published with the reason it exists; the old run's results
    stay exactly as they were and it is only marked superseded (the one change a published run
    admits); the cooperating list of the next year follows the new run. Pages, the API and the
    通报 read the final run (`queries/overview/published_run.sql`)."""
    old, new = load_run(con, old_id), load_run(con, new_id)
    if not old.published or old.run.superseded_by:
        raise RunError(f"评价运行 {old_id} 不是当前已发布的评价，不能被取代")
    _refuse_if_published(new, "用作更正评价")
    if new.year != old.year:
        raise RunError(f"更正评价应与原评价同一年度（{old.year}），实际为 {new.year}")
    engine.execute(con, "runs/supersede", old_id=old_id, new_id=new_id, reason=reason, now=datetime.now())
    engine.execute(con, "runs/clear_cooperation", next=new.year + 1)
    engine.execute(con, "runs/write_cooperation", next=new.year + 1, run_id=new_id)
    db.bump_data_version(con, reported=False)


def delete_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Delete a draft run; a published run cannot be deleted."""
    _refuse_if_published(load_run(con, run_id), "删除")
    with engine.transaction(con):
        for table in (*RESULT_TABLES, "evaluation_runs"):
            engine.execute(con, f"runs/delete/{table}", run_id=run_id)


def load_run(con: duckdb.DuckDBPyConnection, run_id: str) -> Result:
    """A stored run: the Result `evaluate` gave, with the run's facts."""
    header = engine.query(con, "runs/run", scope=None, run_id=run_id)
    if header.empty:
        raise RunError(f"评价运行 {run_id} 不存在")
    h = header.iloc[0]
    policy_text = None if pd.isna(h["policy_text"]) else h["policy_text"]
    registry = load_registry(None if pd.isna(h["registry_text"]) else h["registry_text"])
    facts = RunFacts(run_id=run_id, data_sha256=h["data_sha256"], data_tables=json.loads(h["data_tables"]),
                     created_at=h["created_at"].to_pydatetime(),
                     published_at=None if pd.isna(h["published_at"]) else h["published_at"].to_pydatetime(),
                     **{k: None if pd.isna(h[k]) else h[k] for k in ("supersedes", "superseded_by", "correction_reason")})
    tables = {name: engine.query(con, f"runs/{table.removeprefix('run_')}", scope=None, run_id=run_id)
              for name, (table, _) in TABLES.items()}
    return Result.of(Period.of(int(h["year"]), as_of=h["as_of"]), load_method(h["method_text"], registry),
                     load_policy(policy_text) if policy_text else None, h["draws"], h["seed"],
                     tables["institution_rows"], tables["district_rows"], tables["indicators"], tables["drop_one"],
                     facts)


def list_runs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every stored run, newest first: id, year, method, fingerprints, parameters, publication."""
    return engine.query(con, "runs/list", scope=None)


MACHINE_FORMATS = ("csv", "parquet")


def write_outputs(run: Result, out_dir: Path, machine: str = "csv") -> list[Path]:
    """The machine-readable tables (`write_machine_readable`) and `evaluation.xlsx`, the workbook for
    people (`scoring.workbook`: a sheet per peer group, the district race, method and fingerprints)."""
    paths = write_machine_readable(run, out_dir, machine)
    paths.append(write_results_workbook(run, run.method, _facts(run), Path(out_dir) / "evaluation.xlsx"))
    return paths


def write_machine_readable(run: Result, out_dir: Path, machine: str = "csv") -> list[Path]:
    """`institutions` and `districts` as CSV (UTF-8 with BOM) or Parquet: every stored column under
    its snake_case name, yuan and fractions as computed, for other programs."""
    if machine not in MACHINE_FORMATS:
        raise ValueError(f"机器可读格式应为 {'、'.join(MACHINE_FORMATS)}，实际为 {machine!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    # six decimals in CSV: far below any published precision, and the text stays readable (Parquet keeps
    # the computed doubles)
    for name, table in (("institutions", run.institutions), ("districts", run.districts)):
        paths.append(write_table(table.round(6) if machine == "csv" else table, out_dir / f"{name}.{machine}"))
    return paths


def _facts(run: Result) -> pd.DataFrame:
    """What the run was computed from, one fact a row (the workbook's `run` sheet)."""
    method, facts = run.method, run.run
    rows = {
        "评价运行编号": run.run_id or "实时测算（未保存）", "评价年度": run.year,
        "评价办法": f"{method.name}（{method.id} {method.version}）", "评价办法 SHA-256": method.sha256,
        "政策参数 SHA-256": run.policy.sha256 if run.policy else "未记录",
        "数据指纹 SHA-256": facts.data_sha256 if facts else "—", "“3个1”观察日": run.as_of,
        "稳健性抽样次数": run.draws, "随机种子": run.seed, "运行时间": facts.created_at if facts else "—",
        "发布时间": (facts.published_at if facts else None) or "未发布",
    }
    return pd.DataFrame({"项目": list(rows), "内容": [str(v) for v in rows.values()]})


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    with engine.registered(con, "new_rows", frame):
        engine.execute(con, f"runs/store/{table}")


def _refuse_if_published(run: Result, action: str) -> None:
    if run.run is not None and run.run.superseded_by:
        raise RunError(f"评价运行 {run.run_id} 已被更正评价 {run.run.superseded_by} 取代，不可{action}")
    if run.published:
        raise RunError(f"评价运行 {run.run_id} 已于 {run.run.published_at:%Y-%m-%d %H:%M} 发布，不可{action}")
