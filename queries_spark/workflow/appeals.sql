-- Generated from queries/workflow/appeals.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  a.appeal_id,
  a.run_id,
  a.inst_id,
  i.name,
  a.indicators,
  a.reasons,
  a.filed_by,
  a.filed_at,
  a.status,
  a.decision,
  a.decided_by,
  a.decided_at,
  a.corrected_run_id
FROM scoped_appeals AS a
LEFT JOIN institutions AS i
  ON i.inst_id = a.inst_id
WHERE
  :run_id IS NULL OR a.run_id = :run_id
ORDER BY
  a.filed_at DESC,
  a.appeal_id DESC
