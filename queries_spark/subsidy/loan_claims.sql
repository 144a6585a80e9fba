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
), projects AS (
  SELECT
    project_id,
    kind,
    SUM(weight) AS total,
    CASE WHEN kind = 'loan' THEN :loan_cap_fen ELSE :lease_cap_fen END AS cap
  FROM loans
  GROUP BY
    project_id,
    kind
)
SELECT
  CONCAT_WS('|', l.project_id, l.kind) AS grp,
  l.loan_id AS member,
  l.weight,
  p.cap AS target
FROM loans AS l
JOIN projects AS p
  ON p.project_id = l.project_id AND p.kind = l.kind
WHERE
  p.total > p.cap
