"""The batch commands on Spark: `python -m scoring sla|subsidy|evaluate --engine spark --data DIR`.

The data come as Parquet (`python -m scoring export --format parquet`); the engine's own
functions run unchanged on a `SparkConnection`, and the same files are written as with
DuckDB. What stays in DuckDB: import (validating and writing an upload), run storage and
publishing. A Spark evaluation is written out as files and not stored: its facts sheet
names it `E<year>-spark`, with the data fingerprint computed on Spark by the same query
(`runs/data_checksum`); publish a year from a DuckDB run.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

DEFAULT_MASTER = "local[2]"  # two cores, as on this machine

MISSING = "未安装 Spark 可选组件：请运行 pip install -r requirements-spark.txt，并安装 Java 17（见 README“Spark”一节）"


def connect(data_dir: str | Path, master: str = DEFAULT_MASTER):
    """A `SparkConnection` over the Parquet tables of `data_dir`."""
    try:
        import pyspark  # noqa: F401  (the optional extra)
    except ImportError:
        raise ValueError(MISSING) from None
    from scoring.spark_backend import SparkBackend, SparkConnection, load_parquet, spark_session

    if not Path(data_dir).is_dir():
        raise ValueError(f"数据目录不存在：{data_dir}")
    spark = spark_session(master)
    load_parquet(spark, data_dir)
    return SparkConnection(SparkBackend(spark))


def evaluation_run(con, year: int, method_text: str | None, draws: int, policy):
    """Evaluate `year` on `con` with the method and the `Policy`, described as a `Run` that is not stored."""
    from scoring.evaluation import evaluate
    from scoring.method import load_method
    from scoring.runs import Run, data_fingerprint

    method = load_method(method_text)
    evaluation = evaluate(con, year, method, draws=draws, policy=policy)
    data_sha256, tables = data_fingerprint(con, year, evaluation.as_of)
    return Run(run_id=f"E{year}-spark", year=year, method_id=method.id, method_version=method.version,
               method_name=method.name, method_text=method.text, method_sha256=method.sha256,
               policy_text=policy.text, policy_sha256=policy.sha256,
               data_sha256=data_sha256, data_tables=tables, as_of=evaluation.as_of, draws=evaluation.draws,
               seed=evaluation.seed, created_at=datetime.now(), published_at=None,
               institutions=evaluation.institutions, districts=evaluation.districts,
               drop_one=evaluation.drop_one)
