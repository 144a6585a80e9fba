-- Generated from queries/overview/import_history.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  file_name,
  table_name,
  rows_total,
  rows_inserted,
  rows_replaced,
  rows_unchanged,
  imported_by,
  imported_at,
  sha256
FROM import_files
WHERE
  :user IS NULL OR imported_by = :user
ORDER BY
  imported_at DESC,
  file_id DESC
LIMIT 200
