-- Generated from queries/staging/eval_loans.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
-- staging: cut-off
SELECT
  loan_id,
  inst_id,
  ent_id,
  project_id,
  ent_district_code,
  kind,
  amount,
  rate,
  lpr,
  discount,
  relending_counted,
  inclusive_borrower,
  key_borrower,
  innovative_product,
  signed_year,
  CASE WHEN disbursed_on <= :until THEN disbursed_on END AS disbursed_on,
  CASE
    WHEN disbursed_on <= :until
    THEN CAST(EXTRACT(YEAR FROM disbursed_on) AS BIGINT)
  END AS disbursed_year,
  first_signing,
  GREATEST(signed_on, filed_on) AS counted_on,
  pooled_on,
  project_district_code
FROM eval_book
WHERE
  filed_on <= :until AND signed_on <= :until
