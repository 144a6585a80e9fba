-- Generated from queries/subsidy/refusals.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  p.reason,
  r.label AS reason_text,
  COUNT(*) AS payments,
  COUNT(DISTINCT p.loan_id) AS loans,
  CAST(SUM(p.interest_paid) AS DECIMAL(18, 2)) AS interest
FROM scoped_payments AS p
LEFT JOIN labels AS r
  ON r.code = p.reason
WHERE
  NOT p.reason IS NULL
GROUP BY
  p.reason,
  r.label
ORDER BY
  payments DESC,
  p.reason NULLS LAST
