-- Generated from queries/sla/due.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH open_stages AS (
  SELECT
    *
  FROM scoped_stages
  WHERE
    status IN ('open', 'at_risk')
)
SELECT
  open_stages.app_id,
  open_stages.inst_id,
  institutions.name AS inst_name,
  open_stages.ent_id,
  enterprises.name AS ent_name,
  open_stages.district_code,
  open_stages.stage,
  open_stages.started_on,
  open_stages.deadline,
  open_stages.status,
  open_stages.working_days_left,
  open_stages.provisional
FROM open_stages
LEFT JOIN institutions
  ON institutions.inst_id = open_stages.inst_id
LEFT JOIN enterprises
  ON enterprises.ent_id = open_stages.ent_id
ORDER BY
  open_stages.working_days_left NULLS LAST,
  open_stages.deadline NULLS LAST,
  open_stages.app_id NULLS LAST,
  open_stages.stage NULLS LAST
