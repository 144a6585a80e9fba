-- Generated from queries/staging/scoped_workflow_events.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM workflow_events
WHERE
  (
    :scope_inst IS NULL OR inst_id = :scope_inst
  ) AND :scope_district IS NULL
