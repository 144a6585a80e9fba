-- Generated from queries/staging/scoped_applications.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  applications.*,
  enterprises.district_code
FROM applications
LEFT JOIN enterprises
  ON enterprises.ent_id = applications.ent_id
WHERE
  (
    :scope_inst IS NULL OR applications.inst_id = :scope_inst
  )
  AND (
    :scope_district IS NULL OR enterprises.district_code = :scope_district
  )
