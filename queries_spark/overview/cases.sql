-- Generated from queries/overview/cases.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  cases.inst_id,
  cases.case_id,
  cases.year,
  cases.title,
  enterprises.name AS ent_name,
  cases.summary
FROM cases
LEFT JOIN enterprises
  ON enterprises.ent_id = cases.ent_id
WHERE
  (
    :scope_inst IS NULL OR cases.inst_id = :scope_inst
  )
  AND :scope_district IS NULL
ORDER BY
  cases.inst_id NULLS LAST,
  cases.year DESC,
  cases.case_id NULLS LAST
