-- Generated from queries/workflow/events.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  event_id,
  happened_at,
  actor,
  inst_id,
  action,
  subject,
  detail
FROM scoped_workflow_events
WHERE
  :subject IS NULL OR subject = :subject
ORDER BY
  event_id DESC
LIMIT 500
