-- Generated from queries/runs/data_checksum.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH institutions_rows AS (
  SELECT
    'institutions' AS table_name,
    HASH(inst_id, name, kind, local_legal_person, paid_in_capital, tier) AS row_hash
  FROM institutions
), districts_rows AS (
  SELECT
    'districts' AS table_name,
    HASH(district_code, name, category) AS row_hash
  FROM districts
), enterprises_rows AS (
  SELECT
    'enterprises' AS table_name,
    HASH(ent_id, name, district_code, size, ownership, manufacturing, agricultural, tags) AS row_hash
  FROM enterprises
), projects_rows AS (
  SELECT
    'projects' AS table_name,
    HASH(
      project_id,
      ent_id,
      district_code,
      filing_no,
      filed_on,
      pooled_on,
      total_investment,
      land_cost,
      green,
      equipment_only,
      category
    ) AS row_hash
  FROM projects
), products_rows AS (
  SELECT
    'products' AS table_name,
    HASH(product_id, inst_id, name, category, launched_on, innovative) AS row_hash
  FROM products
), applications_rows AS (
  SELECT
    'applications' AS table_name,
    HASH(
      app_id,
      ent_id,
      project_id,
      inst_id,
      channel,
      registered_on,
      connected_on,
      decision,
      decided_on,
      disbursed_on,
      simplified_review
    ) AS row_hash
  FROM applications
  WHERE
    registered_on <= :period_end
), loans_rows AS (
  SELECT
    'loans' AS table_name,
    HASH(
      loan_id,
      inst_id,
      ent_id,
      project_id,
      app_id,
      product_id,
      kind,
      amount,
      land_amount,
      rate,
      lpr,
      signed_on,
      disbursed_on,
      maturity_on,
      relending,
      credit_line
    ) AS row_hash
  FROM loans
  WHERE
    signed_on <= :period_end
), cases_rows AS (
  SELECT
    'cases' AS table_name,
    HASH(case_id, inst_id, title, year, ent_id, summary) AS row_hash
  FROM cases
  WHERE
    year <= :year
), holidays_rows AS (
  SELECT
    'holidays' AS table_name,
    HASH(day, working, note) AS row_hash
  FROM holidays
  WHERE
    day BETWEEN :calendar_start AND :period_end
), cooperation_rows AS (
  SELECT
    'cooperation' AS table_name,
    HASH(year, inst_id, source) AS row_hash
  FROM cooperation
  WHERE
    year = :year
), flags_rows AS (
  SELECT
    'flags' AS table_name,
    HASH(flag_id, inst_id, year, kind, note) AS row_hash
  FROM flags
  WHERE
    year = :year
), calendar_rows AS (
  SELECT
    'calendar' AS table_name,
    HASH(day, working, provisional) AS row_hash
  FROM calendar
  WHERE
    day BETWEEN :calendar_start AND :period_end
), all_rows AS (
  SELECT
    *
  FROM institutions_rows
  UNION ALL
  SELECT
    *
  FROM districts_rows
  UNION ALL
  SELECT
    *
  FROM enterprises_rows
  UNION ALL
  SELECT
    *
  FROM projects_rows
  UNION ALL
  SELECT
    *
  FROM products_rows
  UNION ALL
  SELECT
    *
  FROM applications_rows
  UNION ALL
  SELECT
    *
  FROM loans_rows
  UNION ALL
  SELECT
    *
  FROM cases_rows
  UNION ALL
  SELECT
    *
  FROM holidays_rows
  UNION ALL
  SELECT
    *
  FROM cooperation_rows
  UNION ALL
  SELECT
    *
  FROM flags_rows
  UNION ALL
  SELECT
    *
  FROM calendar_rows
)
SELECT
  table_name,
  COUNT(*) AS row_count,
  CAST(COALESCE(SUM(CAST(row_hash AS DECIMAL(38, 0))), 0) AS STRING) AS checksum
FROM all_rows
GROUP BY
  table_name
ORDER BY
  table_name NULLS LAST
