-- Generated from queries/overview/run_method.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  method_text
FROM evaluation_runs
WHERE
  run_id = :run_id
