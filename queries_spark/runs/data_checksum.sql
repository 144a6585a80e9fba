-- Generated from queries/runs/data_checksum.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH institutions_rows AS (
  SELECT
    'institutions' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(inst_id AS STRING), '~'),
      COALESCE(CAST(name AS STRING), '~'),
      COALESCE(CAST(kind AS STRING), '~'),
      COALESCE(CAST(local_legal_person AS STRING), '~'),
      COALESCE(CAST(paid_in_capital AS STRING), '~'),
      COALESCE(CAST(tier AS STRING), '~')
    ) AS row_text
  FROM institutions
), districts_rows AS (
  SELECT
    'districts' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(district_code AS STRING), '~'),
      COALESCE(CAST(name AS STRING), '~'),
      COALESCE(CAST(category AS STRING), '~')
    ) AS row_text
  FROM districts
), enterprises_rows AS (
  SELECT
    'enterprises' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(ent_id AS STRING), '~'),
      COALESCE(CAST(name AS STRING), '~'),
      COALESCE(CAST(district_code AS STRING), '~'),
      COALESCE(CAST(size AS STRING), '~'),
      COALESCE(CAST(ownership AS STRING), '~'),
      COALESCE(CAST(manufacturing AS STRING), '~'),
      COALESCE(CAST(agricultural AS STRING), '~'),
      COALESCE(CAST(tags AS STRING), '~')
    ) AS row_text
  FROM enterprises
), projects_rows AS (
  SELECT
    'projects' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(project_id AS STRING), '~'),
      COALESCE(CAST(ent_id AS STRING), '~'),
      COALESCE(CAST(district_code AS STRING), '~'),
      COALESCE(CAST(filing_no AS STRING), '~'),
      COALESCE(CAST(filed_on AS STRING), '~'),
      COALESCE(CAST(pooled_on AS STRING), '~'),
      COALESCE(CAST(total_investment AS STRING), '~'),
      COALESCE(CAST(land_cost AS STRING), '~'),
      COALESCE(CAST(green AS STRING), '~'),
      COALESCE(CAST(equipment_only AS STRING), '~'),
      COALESCE(CAST(category AS STRING), '~')
    ) AS row_text
  FROM projects
), products_rows AS (
  SELECT
    'products' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(product_id AS STRING), '~'),
      COALESCE(CAST(inst_id AS STRING), '~'),
      COALESCE(CAST(name AS STRING), '~'),
      COALESCE(CAST(category AS STRING), '~'),
      COALESCE(CAST(launched_on AS STRING), '~'),
      COALESCE(CAST(innovative AS STRING), '~')
    ) AS row_text
  FROM products
), applications_rows AS (
  SELECT
    'applications' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(app_id AS STRING), '~'),
      COALESCE(CAST(ent_id AS STRING), '~'),
      COALESCE(CAST(project_id AS STRING), '~'),
      COALESCE(CAST(inst_id AS STRING), '~'),
      COALESCE(CAST(channel AS STRING), '~'),
      COALESCE(CAST(registered_on AS STRING), '~'),
      COALESCE(CAST(connected_on AS STRING), '~'),
      COALESCE(CAST(decision AS STRING), '~'),
      COALESCE(CAST(decided_on AS STRING), '~'),
      COALESCE(CAST(disbursed_on AS STRING), '~'),
      COALESCE(CAST(simplified_review AS STRING), '~')
    ) AS row_text
  FROM applications
  WHERE
    registered_on <= :period_end
), loans_rows AS (
  SELECT
    'loans' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(loan_id AS STRING), '~'),
      COALESCE(CAST(inst_id AS STRING), '~'),
      COALESCE(CAST(ent_id AS STRING), '~'),
      COALESCE(CAST(project_id AS STRING), '~'),
      COALESCE(CAST(app_id AS STRING), '~'),
      COALESCE(CAST(product_id AS STRING), '~'),
      COALESCE(CAST(kind AS STRING), '~'),
      COALESCE(CAST(amount AS STRING), '~'),
      COALESCE(CAST(land_amount AS STRING), '~'),
      COALESCE(CAST(rate AS STRING), '~'),
      COALESCE(CAST(lpr AS STRING), '~'),
      COALESCE(CAST(signed_on AS STRING), '~'),
      COALESCE(CAST(disbursed_on AS STRING), '~'),
      COALESCE(CAST(maturity_on AS STRING), '~'),
      COALESCE(CAST(relending AS STRING), '~'),
      COALESCE(CAST(credit_line AS STRING), '~')
    ) AS row_text
  FROM loans
  WHERE
    signed_on <= :period_end
), cases_rows AS (
  SELECT
    'cases' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(case_id AS STRING), '~'),
      COALESCE(CAST(inst_id AS STRING), '~'),
      COALESCE(CAST(title AS STRING), '~'),
      COALESCE(CAST(year AS STRING), '~'),
      COALESCE(CAST(ent_id AS STRING), '~'),
      COALESCE(CAST(summary AS STRING), '~')
    ) AS row_text
  FROM cases
  WHERE
    year <= :year
), holidays_rows AS (
  SELECT
    'holidays' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(day AS STRING), '~'),
      COALESCE(CAST(working AS STRING), '~'),
      COALESCE(CAST(note AS STRING), '~')
    ) AS row_text
  FROM holidays
  WHERE
    day BETWEEN :calendar_start AND :period_end
), cooperation_rows AS (
  SELECT
    'cooperation' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(year AS STRING), '~'),
      COALESCE(CAST(inst_id AS STRING), '~'),
      COALESCE(CAST(source AS STRING), '~')
    ) AS row_text
  FROM cooperation
  WHERE
    year = :year
), flags_rows AS (
  SELECT
    'flags' AS table_name,
    CONCAT_WS(
      '|',
      COALESCE(CAST(flag_id AS STRING), '~'),
      COALESCE(CAST(inst_id AS STRING), '~'),
      COALESCE(CAST(year AS STRING), '~'),
      COALESCE(CAST(kind AS STRING), '~'),
      COALESCE(CAST(note AS STRING), '~')
    ) AS row_text
  FROM flags
  WHERE
    year = :year
), calendar_rows AS (
  SELECT
    'calendar' AS table_name,
    CONCAT_WS('|', CAST(day AS STRING), CAST(working AS STRING), CAST(provisional AS STRING)) AS row_text
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
), hashed AS (
  SELECT
    table_name,
    MD5(row_text) AS row_hash
  FROM all_rows
)
SELECT
  table_name,
  COUNT(*) AS row_count,
  MD5(LISTAGG(row_hash, '') WITHIN GROUP (ORDER BY
    row_hash NULLS LAST)) AS checksum
FROM hashed
GROUP BY
  table_name
ORDER BY
  table_name NULLS LAST
