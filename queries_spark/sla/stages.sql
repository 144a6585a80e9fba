-- Generated from queries/sla/stages.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  app_id,
  inst_id,
  ent_id,
  district_code,
  stage,
  started_on,
  deadline,
  done_on,
  status,
  working_days_used,
  working_days_left,
  working_days_late,
  withdrawn,
  provisional
FROM scoped_stages
ORDER BY
  app_id NULLS LAST,
  stage_order NULLS LAST
