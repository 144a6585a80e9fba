-- Generated from queries/subsidy/by_project.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  project_id,
  policy_id,
  kind,
  kind_text,
  year,
  inst_id,
  ent_id,
  district_code,
  items,
  refused,
  uncapped,
  subsidy,
  capped,
  reason,
  reason_text
FROM scoped_project_subsidies
ORDER BY
  project_id NULLS LAST,
  kind NULLS LAST,
  inst_id NULLS LAST,
  policy_id NULLS LAST
