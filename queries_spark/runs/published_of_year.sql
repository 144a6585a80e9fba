-- Generated from queries/runs/published_of_year.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  run_id
FROM evaluation_runs
WHERE
  year = :year AND NOT published_at IS NULL
