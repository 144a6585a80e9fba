-- Generated from queries/staging/scoped_project_subsidies.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM project_subsidies
WHERE
  (
    :scope_inst IS NULL OR inst_id = :scope_inst
  )
  AND (
    :scope_district IS NULL OR district_code = :scope_district
  )
