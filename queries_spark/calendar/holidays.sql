-- Generated from queries/calendar/holidays.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  day,
  working,
  note
FROM holidays
