-- Generated from queries/workflow/submission_history.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH periods AS (
  SELECT DISTINCT
    submission_id,
    period
  FROM submission_periods
), covered AS (
  SELECT
    submission_id,
    LISTAGG(period, '、') WITHIN GROUP (ORDER BY
      period NULLS LAST) AS periods
  FROM periods
  GROUP BY
    submission_id
)
SELECT
  s.submission_id,
  s.inst_id,
  s.submitter,
  s.channel,
  s.submitted_at,
  s.accepted,
  s.rows_total,
  s.rows_inserted,
  s.rows_replaced,
  s.rows_unchanged,
  s.error_count,
  c.periods
FROM scoped_submissions AS s
LEFT JOIN covered AS c
  ON c.submission_id = s.submission_id
ORDER BY
  s.submitted_at DESC,
  s.submission_id DESC
LIMIT :limit
