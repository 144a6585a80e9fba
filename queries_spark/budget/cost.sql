-- Generated from queries/budget/cost.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  CAST(CAST(COALESCE(SUM(subsidy_fen), 0) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS cost
FROM subsidy_items
