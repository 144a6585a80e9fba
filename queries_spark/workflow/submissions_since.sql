-- Generated from queries/workflow/submissions_since.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH touched AS (
  SELECT
    submission_id,
    MIN(period) AS first_period,
    MAX(period) AS last_period
  FROM submission_periods
  WHERE
    period BETWEEN :first_period AND :last_period
  GROUP BY
    submission_id
)
SELECT
  s.submission_id,
  s.inst_id,
  s.submitter,
  s.submitted_at,
  s.rows_inserted,
  s.rows_replaced,
  t.first_period,
  t.last_period
FROM submissions AS s
JOIN touched AS t
  ON t.submission_id = s.submission_id
WHERE
  s.accepted
  AND s.submitted_at > :since
  AND (
    s.rows_inserted > 0 OR s.rows_replaced > 0
  )
ORDER BY
  s.submitted_at NULLS LAST
