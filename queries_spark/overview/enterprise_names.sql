-- Generated from queries/overview/enterprise_names.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH named AS (
  SELECT
    ent_id
  FROM scoped_loans
  UNION
  SELECT
    ent_id
  FROM scoped_applications
  UNION
  SELECT
    ent_id
  FROM scoped_projects
)
SELECT
  enterprises.ent_id,
  enterprises.name
FROM enterprises
JOIN named
  ON named.ent_id = enterprises.ent_id
ORDER BY
  enterprises.ent_id NULLS LAST
