-- Generated from queries/staging/scoped_projects.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  projects.*
FROM projects
WHERE
  (
    :scope_district IS NULL OR projects.district_code = :scope_district
  )
  AND (
    :scope_inst IS NULL
    OR projects.project_id IN (
      SELECT
        project_id
      FROM loans
      WHERE
        inst_id = :scope_inst
    )
  )
