-- Generated from queries/subsidy/refused_on_days.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  p.payment_id,
  p.loan_id,
  p.project_id,
  p.ent_id,
  p.inst_id,
  p.district_code,
  p.paid_on,
  p.interest_paid,
  p.reason,
  r.label AS reason_text
FROM scoped_judged_payments AS p
LEFT JOIN labels AS r
  ON r.code = p.reason
WHERE
  NOT p.reason IS NULL AND p.paid_on > :since AND p.paid_on <= :until
ORDER BY
  p.paid_on NULLS LAST,
  p.payment_id NULLS LAST
