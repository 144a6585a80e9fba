-- Generated from queries/meta/primary_keys.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  table_name
FROM DUCKDB_CONSTRAINTS()
WHERE
  constraint_type = 'PRIMARY KEY'
  AND database_name = CURRENT_DATABASE()
  AND schema_name = 'main'
