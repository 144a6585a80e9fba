-- Generated from queries/staging/disbursal_book.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
-- staging: book
SELECT
  applications.inst_id,
  enterprises.district_code,
  applications.disbursed_on,
  paid.work_ordinal - registered.work_ordinal AS working_days
FROM applications
LEFT JOIN enterprises
  ON enterprises.ent_id = applications.ent_id
JOIN calendar AS registered
  ON registered.day = applications.registered_on
JOIN calendar AS paid
  ON paid.day = applications.disbursed_on
WHERE
  applications.decision = 'approved'
