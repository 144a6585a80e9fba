-- Generated from queries/workflow/settings.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  key,
  value
FROM workflow_settings
