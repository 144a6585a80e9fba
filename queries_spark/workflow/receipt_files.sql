-- Generated from queries/workflow/receipt_files.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  f.position,
  f.file_name,
  f.table_name,
  f.sha256,
  f.bytes,
  f.rows_total,
  f.rows_inserted,
  f.rows_replaced,
  f.rows_unchanged
FROM submission_files AS f
JOIN scoped_submissions AS s
  ON s.submission_id = f.submission_id
WHERE
  f.submission_id = :submission_id
ORDER BY
  f.position NULLS LAST
