-- Generated from queries/districts/indicators.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH units AS (
  SELECT
    district_code,
    name
  FROM districts
), lending AS (
  SELECT
    ent_district_code AS district_code,
    disbursed_year,
    disbursed_on,
    counted_on,
    SUM(amount) AS amount
  FROM eval_loans
  WHERE
    disbursed_year IN (:year - 1, :year)
  GROUP BY
    ent_district_code,
    disbursed_year,
    disbursed_on,
    counted_on
), lent AS (
  SELECT
    cut_offs.until,
    lending.district_code,
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
    ) AS amount_before
  FROM cut_offs
  JOIN lending
    ON lending.counted_on <= cut_offs.until
  GROUP BY
    cut_offs.until,
    lending.district_code
), pooled_days AS (
  SELECT
    district_code,
    pooled_on,
    COUNT(*) AS projects
  FROM projects
  WHERE
    pooled_on <= :until
  GROUP BY
    district_code,
    pooled_on
), pool AS (
  SELECT
    cut_offs.until,
    pooled_days.district_code,
    SUM(
      CASE
        WHEN CAST(EXTRACT(YEAR FROM pooled_days.pooled_on) AS BIGINT) = :year
        THEN projects
        ELSE 0
      END
    ) AS pooled_in_year,
    SUM(projects) AS pooled
  FROM cut_offs
  JOIN pooled_days
    ON pooled_days.pooled_on <= cut_offs.until
  GROUP BY
    cut_offs.until,
    pooled_days.district_code
), financed_days AS (
  SELECT
    district_code,
    financed_on,
    COUNT(*) AS projects
  FROM (
    SELECT
      project_district_code AS district_code,
      MIN(GREATEST(counted_on, pooled_on)) AS financed_on
    FROM eval_loans
    WHERE
      pooled_on <= :until
    GROUP BY
      project_district_code,
      project_id
  ) AS financed
  GROUP BY
    district_code,
    financed_on
), pool_financed AS (
  SELECT
    cut_offs.until,
    financed_days.district_code,
    SUM(financed_days.projects) AS pooled_financed
  FROM cut_offs
  JOIN financed_days
    ON financed_days.financed_on <= cut_offs.until
  GROUP BY
    cut_offs.until,
    financed_days.district_code
), judged AS (
  SELECT
    until,
    district_code,
    SUM(met) AS met,
    SUM(breached) AS breached
  FROM judged_due
  GROUP BY
    until,
    district_code
), filled AS (
  SELECT
    cut_offs.until,
    units.district_code,
    units.name,
    COALESCE(lent.amount, 0) AS amount,
    COALESCE(lent.amount_before, 0) AS amount_before,
    CAST(COALESCE(pool.pooled_in_year, 0) AS INT) AS pooled_in_year,
    CAST(COALESCE(pool.pooled, 0) AS INT) AS pooled,
    CAST(COALESCE(pool_financed.pooled_financed, 0) AS INT) AS pooled_financed,
    CAST(COALESCE(judged.met, 0) AS INT) AS met,
    CAST(COALESCE(judged.breached, 0) AS INT) AS breached
  FROM cut_offs
  CROSS JOIN units
  LEFT JOIN lent
    ON lent.until = cut_offs.until AND lent.district_code = units.district_code
  LEFT JOIN pool
    ON pool.until = cut_offs.until AND pool.district_code = units.district_code
  LEFT JOIN pool_financed
    ON pool_financed.until = cut_offs.until
    AND pool_financed.district_code = units.district_code
  LEFT JOIN judged
    ON judged.until = cut_offs.until AND judged.district_code = units.district_code
), city AS (
  SELECT
    until,
    SUM(amount) AS amount,
    SUM(amount_before) AS amount_before,
    SUM(pooled) AS pooled,
    SUM(pooled_financed) AS pooled_financed,
    SUM(met) AS met,
    SUM(breached) AS breached
  FROM filled
  GROUP BY
    until
), own_or_city AS (
  SELECT
    filled.*,
    CASE WHEN filled.amount_before < :min_base THEN city.amount ELSE filled.amount END AS growth_now,
    CASE
      WHEN filled.amount_before < :min_base
      THEN city.amount_before
      ELSE filled.amount_before
    END AS growth_before,
    CASE WHEN filled.pooled < :min_pool THEN city.pooled ELSE filled.pooled END AS share_pooled,
    CASE
      WHEN filled.pooled < :min_pool
      THEN city.pooled_financed
      ELSE filled.pooled_financed
    END AS share_financed,
    CASE
      WHEN filled.met + filled.breached < :min_stages
      THEN city.met
      ELSE filled.met
    END AS share_met,
    CASE
      WHEN filled.met + filled.breached < :min_stages
      THEN city.breached
      ELSE filled.breached
    END AS share_breached
  FROM filled
  JOIN city
    ON city.until = filled.until
)
SELECT
  until,
  district_code,
  name,
  amount AS D1,
  amount_before AS D1_before,
  CASE
    WHEN growth_before = 0 AND growth_now = 0
    THEN 0
    WHEN growth_before = 0
    THEN :growth_cap
    ELSE LEAST(:growth_cap, CAST((
      growth_now - growth_before
    ) AS DOUBLE) / growth_before)
  END AS D2,
  pooled_in_year AS D3,
  pooled AS D4_pooled,
  pooled_financed AS D4_financed,
  CASE
    WHEN share_pooled > 0
    THEN CAST(share_financed AS DOUBLE) / share_pooled
    ELSE 0
  END AS D4,
  met AS D5_met,
  breached AS D5_breached,
  CASE
    WHEN share_met + share_breached > 0
    THEN CAST(share_met AS DOUBLE) / (
      share_met + share_breached
    )
  END AS D5
FROM own_or_city
ORDER BY
  until NULLS LAST,
  district_code NULLS LAST
