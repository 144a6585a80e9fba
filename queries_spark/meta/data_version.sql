-- Generated from queries/meta/data_version.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  value
FROM meta
WHERE
  key = 'data_version'
