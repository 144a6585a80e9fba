-- Generated from queries/staging/judged_due.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH due AS (
  SELECT
    inst_id,
    district_code,
    status,
    deadline,
    judged_on
  FROM sla_stages
  WHERE
    CAST(EXTRACT(YEAR FROM deadline) AS BIGINT) = :year
    AND deadline <= :until
    AND status IN ('met', 'breached')
    AND book_deadline BETWEEN MAKE_DATE(:year, 1, 1) AND :until
), days AS (
  SELECT
    inst_id,
    district_code,
    deadline,
    judged_on,
    SUM(CASE WHEN status = 'met' THEN 1 ELSE 0 END) AS met,
    SUM(CASE WHEN status = 'breached' THEN 1 ELSE 0 END) AS breached
  FROM due
  GROUP BY
    inst_id,
    district_code,
    deadline,
    judged_on
)
SELECT
  cut_offs.until,
  days.inst_id,
  days.district_code,
  SUM(days.met) AS met,
  SUM(days.breached) AS breached
FROM cut_offs
JOIN days
  ON days.deadline <= cut_offs.until AND days.judged_on <= cut_offs.as_of
GROUP BY
  cut_offs.until,
  days.inst_id,
  days.district_code
