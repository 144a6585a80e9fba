-- Generated from queries/subsidy/totals.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  CAST(CAST(COALESCE(SUM(uncapped_fen), 0) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS uncapped,
  CAST(CAST(COALESCE(SUM(subsidy_fen), 0) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS subsidy,
  COUNT(DISTINCT project_id) FILTER(WHERE
    subsidy_fen > 0) AS subsidised_projects
FROM scoped_subsidy_items
