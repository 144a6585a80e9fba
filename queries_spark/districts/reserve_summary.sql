-- Generated from queries/districts/reserve_summary.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH pool AS (
  SELECT
    project_id,
    district_code
  FROM scoped_projects
  WHERE
    pooled_on <= :as_of
), financing AS (
  SELECT
    contracts.project_id,
    SUM(contracts.amount) AS signed_amount
  FROM scoped_project_loans AS contracts
  JOIN pool
    ON pool.project_id = contracts.project_id
  WHERE
    contracts.signed_on <= :as_of
  GROUP BY
    contracts.project_id
), per_unit AS (
  SELECT
    pool.district_code,
    COUNT(*) AS pooled,
    COUNT(financing.project_id) AS financed,
    SUM(COALESCE(financing.signed_amount, 0)) AS signed_amount
  FROM pool
  LEFT JOIN financing
    ON financing.project_id = pool.project_id
  GROUP BY
    pool.district_code
)
SELECT
  per_unit.district_code,
  districts.name,
  per_unit.pooled,
  per_unit.financed,
  CAST(per_unit.financed AS DOUBLE) / NULLIF(per_unit.pooled, 0) AS financed_share,
  CAST(per_unit.signed_amount AS DECIMAL(18, 2)) AS signed_amount
FROM per_unit
JOIN districts
  ON districts.district_code = per_unit.district_code
ORDER BY
  per_unit.district_code NULLS LAST
