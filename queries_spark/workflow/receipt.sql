-- Generated from queries/workflow/receipt.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  submission_id,
  inst_id,
  submitter,
  channel,
  submitted_at,
  accepted,
  rows_total,
  rows_inserted,
  rows_replaced,
  rows_unchanged,
  error_count
FROM scoped_submissions
WHERE
  submission_id = :submission_id
