-- Generated from queries/indicators/volume.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH by_year AS (
  SELECT
    inst_id,
    SUM(CASE WHEN disbursed_year = :year THEN amount ELSE 0 END) AS amount,
    SUM(
      CASE
        WHEN disbursed_year = :year - 1 AND disbursed_on <= :until_last_year
        THEN amount
        ELSE 0
      END
    ) AS amount_before,
    SUM(CASE WHEN disbursed_year = :year AND relending_counted THEN amount ELSE 0 END) AS relending_amount
  FROM eval_loans
  WHERE
    disbursed_year IN (:year - 1, :year)
  GROUP BY
    inst_id
), filled AS (
  SELECT
    roster.inst_id,
    COALESCE(by_year.amount, 0) AS amount,
    COALESCE(by_year.amount_before, 0) AS amount_before,
    COALESCE(by_year.relending_amount, 0) AS relending_amount
  FROM roster
  LEFT JOIN by_year
    ON by_year.inst_id = roster.inst_id
)
SELECT
  inst_id,
  amount AS V1,
  amount_before AS V1_before,
  CASE
    WHEN amount_before = 0 AND amount = 0
    THEN 0
    WHEN amount_before = 0
    THEN :growth_cap
    ELSE LEAST(:growth_cap, CAST((
      amount - amount_before
    ) AS DOUBLE) / amount_before)
  END AS V2,
  CASE WHEN amount = 0 THEN 0 ELSE CAST(relending_amount AS DOUBLE) / amount END AS M1
FROM filled
ORDER BY
  inst_id NULLS LAST
