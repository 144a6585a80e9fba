-- Generated from queries/staging/scoped_run_districts.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM run_districts
WHERE
  (
    :scope_district IS NULL OR district_code = :scope_district
  )
  AND :scope_inst IS NULL
