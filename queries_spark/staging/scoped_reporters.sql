-- Generated from queries/staging/scoped_reporters.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  inst_id,
  name,
  kind
FROM institutions
WHERE
  kind IN ('bank', 'leasing')
  AND (
    :scope_inst IS NULL OR inst_id = :scope_inst
  )
  AND :scope_district IS NULL
