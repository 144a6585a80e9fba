-- Generated from queries/workflow/appeal_count.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  COUNT(*) AS appeals
FROM appeals
WHERE
  run_id LIKE 'E' || CAST(:year AS STRING) || '-%'
