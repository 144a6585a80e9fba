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
  TRY_ELEMENT_AT(:reason_texts, CAST(NULLIF(ARRAY_POSITION(:reason_codes, p.reason), 0) AS INT)) AS reason_text,
  CAST(CAST(p.uncapped_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS uncapped,
  CAST(CAST(p.subsidy_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS subsidy,
  p.subsidy_fen < p.uncapped_fen AS capped
FROM scoped_payments AS p
ORDER BY
  paid_on NULLS LAST,
  payment_id NULLS LAST
