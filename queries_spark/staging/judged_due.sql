-- Generated from queries/staging/judged_due.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
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
