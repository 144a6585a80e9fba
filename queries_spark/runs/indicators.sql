-- Generated from queries/runs/indicators.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  subject,
  subject_id,
  indicator,
  raw,
  normalised,
  contribution
FROM run_indicators
WHERE
  run_id = :run_id
ORDER BY
  subject NULLS LAST,
  subject_id NULLS LAST,
  indicator NULLS LAST
