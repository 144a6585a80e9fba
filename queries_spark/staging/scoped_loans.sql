-- Generated from queries/staging/scoped_loans.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  loans.*,
  enterprises.district_code AS ent_district_code
FROM loans
JOIN enterprises
  ON enterprises.ent_id = loans.ent_id
WHERE
  (
    :scope_inst IS NULL OR loans.inst_id = :scope_inst
  )
  AND (
    :scope_district IS NULL OR enterprises.district_code = :scope_district
  )
