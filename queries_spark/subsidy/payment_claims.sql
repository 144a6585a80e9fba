-- Generated from queries/subsidy/payment_claims.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  p.loan_id AS grp,
  p.payment_id AS member,
  p.uncapped_fen AS weight,
  s.allocated AS target
FROM payment_uncapped AS p
JOIN loan_shares AS s
  ON s.member = p.loan_id
WHERE
  p.reason IS NULL
