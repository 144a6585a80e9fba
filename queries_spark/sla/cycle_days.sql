-- Generated from queries/sla/cycle_days.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH disbursed AS (
  SELECT
    inst_id,
    working_days
  FROM scoped_disbursals
  WHERE
    disbursed_on BETWEEN :period_start AND :period_end
), ranked AS (
  SELECT
    inst_id,
    working_days,
    CAST(ROW_NUMBER() OVER (PARTITION BY inst_id ORDER BY working_days NULLS LAST) AS BIGINT) AS position,
    COUNT(*) OVER (PARTITION BY inst_id) AS disbursements
  FROM disbursed
), middle AS (
  SELECT
    inst_id,
    disbursements,
    working_days
  FROM ranked
  WHERE
    2 * position BETWEEN disbursements AND disbursements + 2
)
SELECT
  inst_id,
  MAX(disbursements) AS disbursements,
  AVG(CAST(working_days AS DOUBLE)) AS median_working_days
FROM middle
GROUP BY
  inst_id
ORDER BY
  inst_id NULLS LAST
