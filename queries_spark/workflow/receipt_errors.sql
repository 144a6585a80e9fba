-- Generated from queries/workflow/receipt_errors.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  e.position,
  e.file_name,
  e.row_no,
  e.column_name,
  e.cell_value,
  e.message
FROM submission_errors AS e
JOIN scoped_submissions AS s
  ON s.submission_id = e.submission_id
WHERE
  e.submission_id = :submission_id
ORDER BY
  e.position NULLS LAST
