-- Generated from queries/digest/unfinanced.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH financed AS (
  SELECT DISTINCT
    loans.project_id
  FROM loans
  JOIN institutions
    ON institutions.inst_id = loans.inst_id
  WHERE
    loans.signed_on <= :as_of
)
SELECT
  p.district_code,
  p.project_id,
  enterprises.name AS ent_name,
  p.pooled_on,
  p.total_investment
FROM scoped_projects AS p
LEFT JOIN financed
  ON financed.project_id = p.project_id
LEFT JOIN enterprises
  ON enterprises.ent_id = p.ent_id
WHERE
  p.pooled_on <= :as_of AND financed.project_id IS NULL
ORDER BY
  p.district_code NULLS LAST,
  p.pooled_on NULLS LAST,
  p.project_id NULLS LAST
