-- Generated from queries/quality/same_day_bulk.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH same_day AS (
  SELECT
    a.app_id,
    a.inst_id,
    a.district_code,
    a.registered_on,
    COUNT(*) OVER (PARTITION BY a.inst_id, a.registered_on) AS that_day
  FROM scoped_applications AS a
  WHERE
    CAST(YEAR(a.registered_on) AS BIGINT) = :year
    AND a.connected_on = a.registered_on
    AND a.decided_on = a.registered_on
)
SELECT
  inst_id,
  district_code,
  'applications' AS table_name,
  app_id AS row_key,
  '登记、对接、审批同在 ' || DATE_FORMAT(registered_on, 'yyyy-MM-dd') || '，当日共 ' || CAST(that_day AS STRING) || ' 笔如此' AS detail
FROM same_day
WHERE
  that_day >= :bulk_count
