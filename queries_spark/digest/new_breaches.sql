-- Generated from queries/digest/new_breaches.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  s.app_id,
  s.inst_id,
  institutions.name AS inst_name,
  s.ent_id,
  enterprises.name AS ent_name,
  s.district_code,
  s.stage,
  s.started_on,
  s.deadline,
  s.done_on,
  s.working_days_late,
  s.provisional
FROM scoped_stages AS s
LEFT JOIN institutions
  ON institutions.inst_id = s.inst_id
LEFT JOIN enterprises
  ON enterprises.ent_id = s.ent_id
WHERE
  s.status = 'breached' AND s.deadline >= :since
ORDER BY
  s.deadline NULLS LAST,
  s.app_id NULLS LAST,
  s.stage NULLS LAST
