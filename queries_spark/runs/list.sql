-- Generated from queries/runs/list.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  run_id,
  year,
  method_id,
  method_version,
  method_name,
  method_sha256,
  data_sha256,
  as_of,
  draws,
  seed,
  created_at,
  published_at,
  NOT published_at IS NULL AS published,
  supersedes,
  superseded_by,
  correction_reason
FROM evaluation_runs
ORDER BY
  created_at DESC,
  run_id DESC
