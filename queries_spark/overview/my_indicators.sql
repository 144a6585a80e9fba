-- Generated from queries/overview/my_indicators.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
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
  AND (
    (
      subject = 'institution' AND NOT :scope_inst IS NULL AND subject_id = :scope_inst
    )
    OR (
      subject = 'district'
      AND NOT :scope_district IS NULL
      AND subject_id = :scope_district
    )
  )
ORDER BY
  subject NULLS LAST,
  indicator NULLS LAST
