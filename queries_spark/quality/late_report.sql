-- Generated from queries/quality/late_report.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  l.inst_id,
  l.ent_district_code AS district_code,
  'loans' AS table_name,
  l.loan_id AS row_key,
  '签约日 ' || DATE_FORMAT(l.signed_on, 'yyyy-MM-dd') || '，首次报送 ' || DATE_FORMAT(r.first_seen, 'yyyy-MM-dd') || '，晚了 ' || CAST(CAST(CAST((
    UNIX_TIMESTAMP(r.first_seen) - UNIX_TIMESTAMP(l.signed_on)
  ) AS DOUBLE) / 86400 AS INT) AS STRING) || ' 天' AS detail
FROM scoped_loans AS l
JOIN row_arrivals AS r
  ON r.table_name = 'loans' AND r.row_key = l.loan_id
WHERE
  CAST(YEAR(l.signed_on) AS BIGINT) = :year
  AND CAST((
    UNIX_TIMESTAMP(r.first_seen) - UNIX_TIMESTAMP(l.signed_on)
  ) AS DOUBLE) / 86400 > :late_days
