-- Generated from queries/staging/scoped_judged_payments.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM judged_payments
WHERE
  (
    :scope_inst IS NULL OR inst_id = :scope_inst
  )
  AND (
    :scope_district IS NULL OR district_code = :scope_district
  )
