-- Generated from queries/calendar/days.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  day,
  working,
  provisional
FROM calendar
ORDER BY
  day NULLS LAST
