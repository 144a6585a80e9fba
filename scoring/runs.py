"""Stored evaluation runs: evaluate, keep, publish, reload, write out (R12–R16).

A run keeps the exact method file and its SHA-256, a fingerprint of the data it read
(`queries/runs/data_checksum.sql`: per table a row count and an order-independent MD5,
combined into one SHA-256), the parameters (as-of day, draws, seed), the time, and every
result (tables `run_institutions`, `run_districts`, `run_indicators`, `run_drop_one`,
keyed by run_id). The same method on the same data gives the same fingerprint and the
same results, to the last bit.

Publishing makes a run immutable — changing, deleting or publishing it again raises — and
writes its selection as the cooperating list of the next year (`cooperation`, source
`evaluation`), replacing whatever list that year had (R13). A year is published once, and
only from a run whose data fingerprint still matches the database (no stale drafts).
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from scoring import db, districts, indicators
from scoring.db import sql
from scoring.evaluation import (DISTRICT_COLUMNS, DISTRICT_HEAD, INSTITUTION_COLUMNS, INSTITUTION_HEAD, Evaluation,
                                evaluate, with_counts)
from scoring.export import write_workbook
from scoring.method import DISTRICT_INDICATORS, INSTITUTION_INDICATORS, load_method
from scoring.policy import load_policy

RESULT_TABLES = ("run_institutions", "run_districts", "run_indicators", "run_drop_one")
STORED = {"raw": "raw", "norm": "normalised", "contrib": "contribution"}  # wide column suffix → run_indicators column


@dataclass(frozen=True)
class _Subject:
    """How one kind of result (institutions or districts) is stored and read back."""

    id_column: str
    head: list[str]  # its own table's columns
    columns: list[str]  # the whole wide frame
    indicators: tuple[str, ...]
    parts: tuple[str, ...]
    query: str


SUBJECTS = {
    "institution": _Subject("inst_id", INSTITUTION_HEAD, INSTITUTION_COLUMNS, INSTITUTION_INDICATORS,
                            tuple(indicators.PARTS), "runs/institutions"),
    "district": _Subject("district_code", DISTRICT_HEAD, DISTRICT_COLUMNS, DISTRICT_INDICATORS,
                         tuple(districts.PARTS), "runs/districts"),
}


class RunError(ValueError):
    """A refused operation on a stored run (message in Chinese)."""


@dataclass(frozen=True)
class Run:
    run_id: str
    year: int
    method_id: str
    method_version: str
    method_name: str
    method_text: str
    method_sha256: str
    policy_text: str | None  # None for runs stored before the policy was kept
    policy_sha256: str | None
    data_sha256: str
    data_tables: dict  # table → {"rows": n, "checksum": md5}
    as_of: date
    draws: int
    seed: int
    created_at: datetime
    published_at: datetime | None
    institutions: pd.DataFrame  # as Evaluation.institutions
    districts: pd.DataFrame  # as Evaluation.districts
    drop_one: pd.DataFrame

    @property
    def published(self) -> bool:
        return self.published_at is not None


def evaluate_and_store(con: duckdb.DuckDBPyConnection, year: int, method_text: str | None = None,
                       draws: int = 1000, publish: bool = False, as_of: date | None = None,
                       policy_text: str | None = None) -> Run:
    """Evaluate `year` with the method and the policy (default files when None), store the
    run, optionally publish it."""
    method = load_method(method_text)
    evaluation = evaluate(con, year, method, as_of=as_of, draws=draws, policy=load_policy(policy_text))
    run_id = store(con, evaluation)
    if publish:
        _publish(con, run_id)
    return load_run(con, run_id)


def data_fingerprint(con: duckdb.DuckDBPyConnection, year: int, as_of: date) -> tuple[str, dict]:
    """SHA-256 over the per-table checksums of the rows an evaluation of `year` reads, and those checksums."""
    params = {"year": year, "period_end": max(date(year, 12, 31), as_of), "calendar_start": date(year - 1, 1, 1)}
    tables = {row.table_name: {"rows": int(row.row_count), "checksum": row.checksum}
              for row in con.execute(sql("runs/data_checksum"), params).df().itertuples()}
    text = "\n".join(f"{name}:{t['rows']}:{t['checksum']}" for name, t in sorted(tables.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), tables


def store(con: duckdb.DuckDBPyConnection, evaluation: Evaluation) -> str:
    """Keep an evaluation as a new draft run; returns its run_id."""
    data_sha256, tables = data_fingerprint(con, evaluation.year, evaluation.as_of)
    sequence = con.execute(sql("runs/next_id"), {"year": evaluation.year}).fetchall()[0][0]
    run_id = f"E{evaluation.year}-{sequence:03d}"
    method = evaluation.method
    header = pd.DataFrame([{
        "run_id": run_id, "year": evaluation.year, "method_id": method.id, "method_version": method.version,
        "method_name": method.name, "method_text": method.text, "method_sha256": method.sha256,
        "policy_text": evaluation.policy.text, "policy_sha256": evaluation.policy.sha256,
        "data_sha256": data_sha256, "data_tables": json.dumps(tables, sort_keys=True), "as_of": evaluation.as_of,
        "draws": evaluation.draws, "seed": evaluation.seed, "created_at": datetime.now(), "published_at": None,
    }])
    results = {
        "evaluation_runs": header,
        "run_institutions": evaluation.institutions[INSTITUTION_HEAD],
        "run_districts": evaluation.districts[DISTRICT_HEAD],
        "run_indicators": pd.concat([
            _long(evaluation.institutions, "institution"),
            _long(evaluation.districts, "district"),
        ], ignore_index=True),
        "run_drop_one": evaluation.drop_one[["inst_id", "peer_group", "dropped", "rank", "base_rank", "shift"]],
    }
    with _transaction(con):
        for table, frame in results.items():
            _insert(con, table, frame.assign(run_id=run_id) if table != "evaluation_runs" else frame)
    return run_id


def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> Run:
    """Publish a run (R13): immutable from now on; its selection becomes next year's cooperating list."""
    run = load_run(con, run_id)
    _refuse_if_published(run, "发布")
    already = con.execute(sql("runs/published_of_year"), {"year": run.year}).fetchall()
    if already:
        raise RunError(f"{run.year} 年度评价已发布（运行 {already[0][0]}），同一年度只能发布一次")
    if data_fingerprint(con, run.year, run.as_of)[0] != run.data_sha256:
        raise RunError(f"评价运行 {run.run_id} 之后数据已有变更，请重新运行评价后再发布")
    with _transaction(con):
        con.execute("update evaluation_runs set published_at = $now where run_id = $run_id",
                    {"now": datetime.now(), "run_id": run_id})
        con.execute("delete from cooperation where year = $next", {"next": run.year + 1})
        con.execute(
            "insert into cooperation (year, inst_id, source) "
            "select $next, inst_id, 'evaluation' from run_institutions where run_id = $run_id and selected",
            {"next": run.year + 1, "run_id": run_id})
    db.bump_data_version(con)
    return load_run(con, run_id)


_publish = publish  # evaluate_and_store's `publish` flag shadows the name


def delete_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Delete a draft run; a published run cannot be deleted."""
    _refuse_if_published(load_run(con, run_id), "删除")
    with _transaction(con):
        for table in (*RESULT_TABLES, "evaluation_runs"):
            con.execute(f"delete from {table} where run_id = $run_id", {"run_id": run_id})


def load_run(con: duckdb.DuckDBPyConnection, run_id: str) -> Run:
    """A stored run with its results, as `evaluate` returned them."""
    header = con.execute(sql("runs/run"), {"run_id": run_id}).df()
    if header.empty:
        raise RunError(f"评价运行 {run_id} 不存在")
    h = header.iloc[0]
    return Run(
        run_id=run_id, year=int(h["year"]), method_id=h["method_id"], method_version=h["method_version"],
        method_name=h["method_name"], method_text=h["method_text"], method_sha256=h["method_sha256"],
        policy_text=_text_or_none(h["policy_text"]), policy_sha256=_text_or_none(h["policy_sha256"]),
        data_sha256=h["data_sha256"], data_tables=json.loads(h["data_tables"]), as_of=h["as_of"].date(),
        draws=int(h["draws"]), seed=int(h["seed"]), created_at=h["created_at"].to_pydatetime(),
        published_at=None if pd.isna(h["published_at"]) else h["published_at"].to_pydatetime(),
        institutions=_wide(con, run_id, "institution"), districts=_wide(con, run_id, "district"),
        drop_one=con.execute(sql("runs/drop_one"), {"run_id": run_id}).df(),
    )


def _text_or_none(value) -> str | None:
    return None if pd.isna(value) else value


def list_runs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every stored run, newest first: id, year, method, fingerprints, parameters, publication."""
    return con.execute(sql("runs/list")).df()


def write_outputs(run: Run, out_dir: Path) -> list[Path]:
    """`institutions.csv`, `districts.csv` and `evaluation.xlsx` (those two sheets plus the run's facts)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "institutions.csv", out_dir / "districts.csv"]
    # six decimals are far below any published precision and keep the files readable
    institutions, districts = run.institutions.round(6), run.districts.round(6)
    institutions.to_csv(paths[0], index=False, encoding="utf-8-sig")
    districts.to_csv(paths[1], index=False, encoding="utf-8-sig")
    sheets = {"institutions": institutions, "districts": districts, "drop_one": run.drop_one,
              "run": _facts(run)}
    paths.append(write_workbook(sheets, out_dir / "evaluation.xlsx"))
    return paths


def _facts(run: Run) -> pd.DataFrame:
    """What the run was computed from, one fact a row (the workbook's `run` sheet)."""
    facts = {
        "评价运行编号": run.run_id, "评价年度": run.year, "评价办法": f"{run.method_name}（{run.method_id} {run.method_version}）",
        "评价办法 SHA-256": run.method_sha256, "政策参数 SHA-256": run.policy_sha256 or "未记录",
        "数据指纹 SHA-256": run.data_sha256, "“3个1”观察日": run.as_of,
        "稳健性抽样次数": run.draws, "随机种子": run.seed, "运行时间": run.created_at,
        "发布时间": run.published_at or "未发布",
    }
    return pd.DataFrame({"项目": list(facts), "内容": [str(v) for v in facts.values()]})


def _long(table: pd.DataFrame, subject: str) -> pd.DataFrame:
    """Wide indicator columns (`V1_raw`, `V1_norm`, `V1_contrib`, parts) as rows of run_indicators."""
    spec = SUBJECTS[subject]
    ids = table[spec.id_column]
    frames = [pd.DataFrame({"subject_id": ids, "indicator": i,
                            **{stored: table[f"{i}_{suffix}"] for suffix, stored in STORED.items()}})
              for i in spec.indicators]
    frames += [pd.DataFrame({"subject_id": ids, "indicator": p, "raw": table[p]}) for p in spec.parts]
    frame = pd.concat(frames, ignore_index=True).reindex(columns=["subject_id", "indicator", *STORED.values()])
    return frame.astype({stored: float for stored in STORED.values()}).assign(subject=subject)


def _wide(con, run_id: str, subject: str) -> pd.DataFrame:
    """A stored result table with its indicators spread back into columns, as the evaluation gave it."""
    spec = SUBJECTS[subject]
    base = con.execute(sql(spec.query), {"run_id": run_id}).df()[spec.head]
    long = con.execute(sql("runs/indicators"), {"run_id": run_id, "subject": subject}).df()
    measured = long[long["indicator"].isin(spec.indicators)]
    spread = [measured.pivot(index="subject_id", columns="indicator", values=stored).add_suffix(f"_{suffix}")
              for suffix, stored in STORED.items()]
    parts = long[~long["indicator"].isin(spec.indicators)].pivot(index="subject_id", columns="indicator",
                                                                  values="raw")
    wide = base.join(pd.concat([*spread, parts], axis=1), on=spec.id_column)
    return with_counts(wide.reindex(columns=spec.columns))


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    con.register("new_rows", frame)
    try:
        con.execute(f"insert into {table} by name select * from new_rows")
    finally:
        con.unregister("new_rows")


def _refuse_if_published(run: Run, action: str) -> None:
    if run.published:
        raise RunError(f"评价运行 {run.run_id} 已于 {run.published_at:%Y-%m-%d %H:%M} 发布，不可{action}")


@contextmanager
def _transaction(con):
    """All or nothing: a failed store or publish leaves the database as it was."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
