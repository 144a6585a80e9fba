-- Generated from queries/staging/scoped_project_loans.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  loans.*,
  COALESCE(projects.district_code, enterprises.district_code) AS district_code
FROM loans
LEFT JOIN projects
  ON projects.project_id = loans.project_id
LEFT JOIN enterprises
  ON enterprises.ent_id = loans.ent_id
WHERE
  (
    :scope_inst IS NULL OR loans.inst_id = :scope_inst
  )
  AND (
    :scope_district IS NULL
    OR COALESCE(projects.district_code, enterprises.district_code) = :scope_district
  )
