-- Generated from queries/sla/finished_late.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  scoped_stages.app_id,
  scoped_stages.inst_id,
  scoped_stages.ent_id,
  enterprises.name AS ent_name,
  scoped_stages.stage,
  scoped_stages.deadline,
  scoped_stages.done_on,
  scoped_stages.working_days_late,
  scoped_stages.provisional
FROM scoped_stages
LEFT JOIN enterprises
  ON enterprises.ent_id = scoped_stages.ent_id
WHERE
  scoped_stages.status = 'breached'
  AND NOT scoped_stages.done_on IS NULL
  AND CAST(YEAR(scoped_stages.deadline) AS BIGINT) = :year
ORDER BY
  scoped_stages.working_days_late DESC,
  scoped_stages.app_id NULLS LAST,
  scoped_stages.stage_order NULLS LAST
