-- Generated from queries/runs/next_id.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  COALESCE(MAX(CAST(SUBSTRING(run_id, 7) AS INT)), 0) + 1 AS sequence
FROM evaluation_runs
WHERE
  year = :year
