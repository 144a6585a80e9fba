-- Generated from queries/calendar/holiday_years.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT DISTINCT
  CAST(YEAR(day) AS BIGINT) AS year
FROM holidays
