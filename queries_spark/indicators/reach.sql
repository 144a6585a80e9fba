-- Generated from queries/indicators/reach.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH borrowers AS (
  SELECT DISTINCT
    inst_id,
    ent_id,
    inclusive_borrower
  FROM eval_loans
  WHERE
    disbursed_year = :year
), counted AS (
  SELECT
    inst_id,
    COUNT(*) AS enterprises,
    SUM(CASE WHEN inclusive_borrower THEN 1 ELSE 0 END) AS inclusive_enterprises
  FROM borrowers
  GROUP BY
    inst_id
)
SELECT
  roster.inst_id,
  CAST(COALESCE(counted.enterprises, 0) AS INT) AS V3_enterprises,
  CAST(COALESCE(counted.inclusive_enterprises, 0) AS INT) AS V3_inclusive,
  CAST(COALESCE(counted.enterprises, 0) + COALESCE(counted.inclusive_enterprises, 0) AS INT) AS V3
FROM roster
LEFT JOIN counted
  ON counted.inst_id = roster.inst_id
ORDER BY
  inst_id NULLS LAST
