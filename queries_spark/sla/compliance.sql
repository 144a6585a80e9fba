-- Generated from queries/sla/compliance.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH in_period AS (
  SELECT
    inst_id,
    district_code,
    stage,
    deadline,
    status
  FROM scoped_stages
  WHERE
    NOT deadline IS NULL
    AND (
      :period_start IS NULL OR deadline >= :period_start
    )
    AND (
      :period_end IS NULL OR deadline <= :period_end
    )
), keyed AS (
  SELECT
    CASE WHEN :by_inst THEN inst_id END AS inst_id,
    CASE WHEN :by_district THEN district_code END AS district_code,
    CASE
      WHEN :by_month
      THEN CAST(YEAR(deadline) AS BIGINT) * 100 + CAST(MONTH(deadline) AS BIGINT)
    END AS month_number,
    CASE WHEN :by_stage THEN stage END AS stage,
    status
  FROM in_period
), counted AS (
  SELECT
    inst_id,
    district_code,
    month_number,
    stage,
    COUNT(CASE WHEN status = 'met' THEN 1 END) AS met,
    COUNT(CASE WHEN status = 'breached' THEN 1 END) AS breached,
    COUNT(CASE WHEN status IN ('open', 'at_risk') THEN 1 END) AS pending,
    COUNT(CASE WHEN status = 'not_applicable' THEN 1 END) AS not_applicable
  FROM keyed
  GROUP BY
    inst_id,
    district_code,
    month_number,
    stage
)
SELECT
  inst_id,
  district_code,
  CAST(CAST((
    CAST(month_number AS DECIMAL(38, 0)) - PMOD(CAST(month_number AS DECIMAL(38, 0)), 100)
  ) / 100 AS DECIMAL(38, 0)) AS STRING) || '-' || LPAD(CAST(month_number % 100 AS STRING), 2, '0') AS month,
  stage,
  met,
  breached,
  pending,
  not_applicable,
  CAST(met AS DOUBLE) / NULLIF(met + breached, 0) AS compliance_rate
FROM counted
ORDER BY
  inst_id NULLS LAST,
  district_code NULLS LAST,
  month NULLS LAST,
  stage NULLS LAST
