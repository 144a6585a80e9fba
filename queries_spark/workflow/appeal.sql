-- Generated from queries/workflow/appeal.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  appeal_id,
  run_id,
  inst_id,
  status,
  decided_at
FROM appeals
WHERE
  appeal_id = :appeal_id
