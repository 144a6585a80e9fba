-- Generated from queries/staging/payment_subsidies.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  p.*,
  COALESCE(s.allocated, p.uncapped_fen) AS subsidy_fen
FROM payment_uncapped AS p
LEFT JOIN payment_shares AS s
  ON s.member = p.payment_id
