-- Generated from queries/meta/database_path.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  path
FROM DUCKDB_DATABASES()
WHERE
  database_name = CURRENT_DATABASE()
