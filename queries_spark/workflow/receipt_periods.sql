-- Generated from queries/workflow/receipt_periods.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  p.inst_id,
  p.period,
  p.rows_total
FROM submission_periods AS p
JOIN scoped_submissions AS s
  ON s.submission_id = p.submission_id
WHERE
  p.submission_id = :submission_id
ORDER BY
  p.period NULLS LAST,
  p.inst_id NULLS LAST
