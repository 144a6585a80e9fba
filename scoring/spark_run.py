"""The batch commands on Spark: `python -m scoring sla|subsidy|evaluate --engine spark --data DIR`.

The data come as Parquet (`python -m scoring export --format parquet`); the engine's own
functions run unchanged on a query-layer `Session` over `SparkBackend`, and the same files are written as with
DuckDB. What stays in DuckDB: import (validating and writing an upload), run storage, publishing
and the record of a subsidy computation. A Spark evaluation is written out as files and
not stored (its facts sheet says 实时测算（未保存）); publish a year from a DuckDB run.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_MASTER = "local[2]"  # two cores, as on this machine

MISSING = "未安装 Spark 可选组件：请运行 pip install -r requirements-spark.txt，并安装 Java 17（见 README“Spark”一节）"


def connect(data_dir: str | Path, master: str = DEFAULT_MASTER):
    """A query-layer session on Spark over the Parquet tables of `data_dir`."""
    try:
        import pyspark  # noqa: F401  (the optional extra)
    except ImportError:
        raise ValueError(MISSING) from None
    from scoring.engine import Session
    from scoring.spark_backend import SparkBackend, load_parquet, spark_session

    if not Path(data_dir).is_dir():
        raise ValueError(f"数据目录不存在：{data_dir}")
    spark = spark_session(master)
    load_parquet(spark, data_dir)
    return Session(SparkBackend(spark))


def evaluation(con, year: int, method_text: str | None, draws: int, policy):
    """The evaluation of `year` on `con` with the method and the `Policy`: a `Result` not stored."""
    from scoring.evaluation import evaluate
    from scoring.method import load_method

    return evaluate(con, year, load_method(method_text), draws=draws, policy=policy)
