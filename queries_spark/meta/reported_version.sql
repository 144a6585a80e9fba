-- Generated from queries/meta/reported_version.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  value
FROM meta
WHERE
  key = 'reported_version'
