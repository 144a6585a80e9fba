-- Generated from queries/subsidy/loan_claims.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH loans AS (
  SELECT
    project_id,
    kind,
    loan_id,
    SUM(uncapped_fen) AS weight
  FROM payment_uncapped
  WHERE
    reason IS NULL
  GROUP BY
    project_id,
    kind,
    loan_id
)
SELECT
  CONCAT_WS('|', project_id, kind) AS grp,
  loan_id AS member,
  weight,
  LEAST(
    SUM(weight) OVER (PARTITION BY project_id, kind),
    CASE WHEN kind = 'loan' THEN :loan_cap_fen ELSE :lease_cap_fen END
  ) AS target
FROM loans
