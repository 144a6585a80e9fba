-- Generated from queries/calendar/days.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
/* The calendar as the engine sees it (scoring.calendar.Calendar.from_db). */
SELECT
  day,
  working,
  provisional
FROM calendar
ORDER BY
  day NULLS LAST
