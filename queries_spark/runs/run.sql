-- Generated from queries/runs/run.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM evaluation_runs
WHERE
  run_id = :run_id
