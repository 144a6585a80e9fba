-- Generated from queries/staging/judged_payments.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  event_id AS payment_id,
  loan_id,
  inst_id,
  ent_id,
  project_id,
  district_code,
  paid_on,
  paid AS interest_paid,
  amount,
  land_amount,
  rate,
  reason,
  CASE WHEN loan_kind = 'loan' THEN 'loan' WHEN NOT loan_kind IS NULL THEN 'lease' END AS kind
FROM judged_events
WHERE
  source = 'payment'
