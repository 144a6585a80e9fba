-- Generated from queries/calendar/add_working_days.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH probe AS (
  SELECT
    day,
    n
  FROM calendar_probe
), start AS (
  SELECT
    probe.day,
    probe.n,
    calendar.work_ordinal,
    calendar.provisional
  FROM probe
  JOIN calendar
    ON calendar.day = probe.day
), landed AS (
  SELECT
    start.day,
    start.n,
    target.day AS result,
    start.provisional OR target.provisional AS provisional
  FROM start
  JOIN calendar AS target
    ON target.working AND target.work_ordinal = start.work_ordinal + start.n
)
SELECT
  *
FROM landed
ORDER BY
  day NULLS LAST,
  n NULLS LAST
