-- Generated from queries/workflow/status.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH expected AS (
  SELECT
    i.inst_id,
    i.name,
    i.kind,
    p.period,
    p.deadline
  FROM scoped_reporters AS i
  CROSS JOIN reporting_periods AS p
), covered AS (
  SELECT
    sp.inst_id,
    sp.period,
    s.submission_id,
    s.submitted_at,
    s.rows_replaced
  FROM submission_periods AS sp
  JOIN submissions AS s
    ON s.submission_id = sp.submission_id
  WHERE
    s.accepted AND CAST(s.submitted_at AS DATE) <= :as_of
), firsts AS (
  SELECT
    inst_id,
    period,
    MIN(submitted_at) AS first_at,
    COUNT(*) AS submissions,
    MAX(submitted_at) AS last_at
  FROM covered
  GROUP BY
    inst_id,
    period
), corrections AS (
  SELECT
    c.inst_id,
    c.period,
    COUNT(*) AS corrections
  FROM covered AS c
  JOIN firsts AS f
    ON f.inst_id = c.inst_id AND f.period = c.period
  WHERE
    c.submitted_at > f.first_at AND c.rows_replaced > 0
  GROUP BY
    c.inst_id,
    c.period
), judged AS (
  SELECT
    e.inst_id,
    e.name,
    e.kind,
    e.period,
    e.deadline,
    f.first_at,
    f.last_at,
    COALESCE(f.submissions, 0) AS submissions,
    COALESCE(k.corrections, 0) AS corrections,
    COALESCE(CAST(f.first_at AS DATE), :as_of) AS counted_day
  FROM expected AS e
  LEFT JOIN firsts AS f
    ON f.inst_id = e.inst_id AND f.period = e.period
  LEFT JOIN corrections AS k
    ON k.inst_id = e.inst_id AND k.period = e.period
)
SELECT
  j.inst_id,
  j.name,
  j.kind,
  j.period,
  j.deadline,
  j.first_at,
  j.last_at,
  j.submissions,
  j.corrections,
  CASE
    WHEN j.first_at IS NULL AND :as_of <= j.deadline
    THEN 'not_due'
    WHEN j.first_at IS NULL
    THEN 'missing'
    WHEN j.corrections > 0
    THEN 'corrected'
    WHEN CAST(j.first_at AS DATE) <= j.deadline
    THEN 'on_time'
    ELSE 'late'
  END AS status,
  CASE
    WHEN j.counted_day <= j.deadline
    THEN 0
    ELSE c.work_ordinal + (
      CASE WHEN c.working THEN 0 ELSE 1 END
    ) - d.work_ordinal
  END AS working_days_late,
  CAST(j.first_at AS DATE) > j.deadline AS first_late
FROM judged AS j
JOIN calendar AS d
  ON d.day = j.deadline
JOIN calendar AS c
  ON c.day = j.counted_day
ORDER BY
  j.period NULLS LAST,
  j.kind NULLS LAST,
  j.inst_id NULLS LAST
