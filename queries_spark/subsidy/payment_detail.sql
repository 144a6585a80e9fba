-- Generated from queries/subsidy/payment_detail.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  p.payment_id,
  p.loan_id,
  p.project_id,
  p.ent_id,
  p.inst_id,
  p.district_code,
  p.kind,
  p.paid_on,
  p.interest_paid,
  p.amount,
  p.land_amount,
  p.rate,
  p.reason IS NULL AS eligible,
  CASE WHEN p.reason IS NULL THEN p.basis END AS basis,
  p.reason,
  r.label AS reason_text,
  CAST(CAST(p.uncapped_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS uncapped,
  CAST(CAST(p.subsidy_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS subsidy,
  p.subsidy_fen < p.uncapped_fen AS capped
FROM scoped_payments AS p
LEFT JOIN labels AS r
  ON r.code = p.reason
ORDER BY
  p.paid_on NULLS LAST,
  p.payment_id NULLS LAST
