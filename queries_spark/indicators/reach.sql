-- Generated from queries/indicators/reach.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH borrowers AS (
  SELECT
    inst_id,
    ent_id,
    inclusive_borrower,
    MIN(GREATEST(counted_on, disbursed_on)) AS borrower_from
  FROM eval_loans
  WHERE
    disbursed_year = :year
  GROUP BY
    inst_id,
    ent_id,
    inclusive_borrower
), counted AS (
  SELECT
    cut_offs.until,
    borrowers.inst_id,
    COUNT(*) AS enterprises,
    SUM(CASE WHEN borrowers.inclusive_borrower THEN 1 ELSE 0 END) AS inclusive_enterprises
  FROM cut_offs
  JOIN borrowers
    ON borrowers.borrower_from <= cut_offs.until
  GROUP BY
    cut_offs.until,
    borrowers.inst_id
)
SELECT
  cut_offs.until,
  roster.inst_id,
  CAST(COALESCE(counted.enterprises, 0) AS INT) AS V3_enterprises,
  CAST(COALESCE(counted.inclusive_enterprises, 0) AS INT) AS V3_inclusive,
  CAST(COALESCE(counted.enterprises, 0) + COALESCE(counted.inclusive_enterprises, 0) AS INT) AS V3
FROM cut_offs
CROSS JOIN roster
LEFT JOIN counted
  ON counted.until = cut_offs.until AND counted.inst_id = roster.inst_id
ORDER BY
  until NULLS LAST,
  inst_id NULLS LAST
