-- Generated from queries/indicators/volume.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH lending AS (
  SELECT
    inst_id,
    disbursed_year,
    disbursed_on,
    counted_on,
    relending_counted,
    SUM(amount) AS amount
  FROM eval_loans
  WHERE
    disbursed_year IN (:year - 1, :year)
  GROUP BY
    inst_id,
    disbursed_year,
    disbursed_on,
    counted_on,
    relending_counted
), by_year AS (
  SELECT
    cut_offs.until,
    lending.inst_id,
    SUM(
      CASE
        WHEN disbursed_year = :year AND disbursed_on <= cut_offs.until
        THEN amount
        ELSE 0
      END
    ) AS amount,
    SUM(
      CASE
        WHEN disbursed_year = :year - 1 AND disbursed_on <= cut_offs.until_last_year
        THEN amount
        ELSE 0
      END
    ) AS amount_before,
    SUM(
      CASE
        WHEN disbursed_year = :year AND disbursed_on <= cut_offs.until AND relending_counted
        THEN amount
        ELSE 0
      END
    ) AS relending_amount
  FROM cut_offs
  JOIN lending
    ON lending.counted_on <= cut_offs.until
  GROUP BY
    cut_offs.until,
    lending.inst_id
), filled AS (
  SELECT
    cut_offs.until,
    roster.inst_id,
    COALESCE(by_year.amount, 0) AS amount,
    COALESCE(by_year.amount_before, 0) AS amount_before,
    COALESCE(by_year.relending_amount, 0) AS relending_amount
  FROM cut_offs
  CROSS JOIN roster
  LEFT JOIN by_year
    ON by_year.until = cut_offs.until AND by_year.inst_id = roster.inst_id
)
SELECT
  until,
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
  until NULLS LAST,
  inst_id NULLS LAST
