-- Generated from queries/overview/enterprise_names.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH scoped AS (
  SELECT
    NOT :scope_inst IS NULL OR NOT :scope_district IS NULL AS limited
), named AS (
  SELECT
    ent_id
  FROM scoped_loans
  WHERE
    (
      SELECT
        limited
      FROM scoped
    )
  UNION
  SELECT
    ent_id
  FROM scoped_applications
  WHERE
    (
      SELECT
        limited
      FROM scoped
    )
  UNION
  SELECT
    ent_id
  FROM scoped_projects
  WHERE
    (
      SELECT
        limited
      FROM scoped
    )
)
SELECT
  enterprises.ent_id,
  enterprises.name
FROM enterprises
WHERE
  NOT (
    SELECT
      limited
    FROM scoped
  )
  OR enterprises.ent_id IN (
    SELECT
      ent_id
    FROM named
  )
ORDER BY
  enterprises.ent_id NULLS LAST
