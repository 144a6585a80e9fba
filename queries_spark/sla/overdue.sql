-- Generated from queries/sla/overdue.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH outstanding AS (
  SELECT
    *
  FROM scoped_stages
  WHERE
    status = 'breached' AND done_on IS NULL AND NOT withdrawn
)
SELECT
  outstanding.app_id,
  outstanding.inst_id,
  institutions.name AS inst_name,
  outstanding.ent_id,
  enterprises.name AS ent_name,
  outstanding.district_code,
  outstanding.stage,
  outstanding.started_on,
  outstanding.deadline,
  outstanding.working_days_late,
  outstanding.provisional
FROM outstanding
LEFT JOIN institutions
  ON institutions.inst_id = outstanding.inst_id
LEFT JOIN enterprises
  ON enterprises.ent_id = outstanding.ent_id
ORDER BY
  outstanding.working_days_late DESC,
  outstanding.deadline NULLS LAST,
  outstanding.app_id NULLS LAST,
  outstanding.stage NULLS LAST
