-- Generated from queries/overview/cases.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  cases.inst_id,
  cases.case_id,
  cases.year,
  cases.title,
  enterprises.name AS ent_name,
  cases.summary
FROM scoped_cases AS cases
LEFT JOIN enterprises
  ON enterprises.ent_id = cases.ent_id
ORDER BY
  cases.inst_id NULLS LAST,
  cases.year DESC,
  cases.case_id NULLS LAST
