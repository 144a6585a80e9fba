-- Generated from queries/forecast/monthly_volume.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH disbursed AS (
  SELECT
    inst_id,
    ent_district_code,
    disbursed_year AS year,
    CAST(MONTH(disbursed_on) AS BIGINT) AS month,
    amount
  FROM eval_loans
  WHERE
    disbursed_year <= :year
)
SELECT
  'institution' AS subject,
  inst_id AS subject_id,
  year,
  month,
  SUM(amount) AS amount
FROM disbursed
GROUP BY
  inst_id,
  year,
  month
UNION ALL
SELECT
  'district' AS subject,
  ent_district_code AS subject_id,
  year,
  month,
  SUM(amount) AS amount
FROM disbursed
GROUP BY
  ent_district_code,
  year,
  month
