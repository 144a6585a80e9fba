-- Generated from queries/sla/any_provisional.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  COALESCE(BOOL_OR(provisional), FALSE) AS any_provisional
FROM scoped_stages
