-- Generated from queries/overview/institutions.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH served_in_district AS (
  SELECT
    applications.inst_id
  FROM applications
  JOIN enterprises
    ON enterprises.ent_id = applications.ent_id
  WHERE
    enterprises.district_code = :scope_district
  UNION
  SELECT
    loans.inst_id
  FROM loans
  JOIN enterprises
    ON enterprises.ent_id = loans.ent_id
  WHERE
    enterprises.district_code = :scope_district
)
SELECT
  institutions.inst_id,
  institutions.name,
  institutions.kind AS peer_group
FROM institutions
WHERE
  institutions.kind IN ('bank', 'leasing')
  AND (
    :scope_inst IS NULL OR institutions.inst_id = :scope_inst
  )
  AND (
    :scope_district IS NULL
    OR institutions.inst_id IN (
      SELECT
        inst_id
      FROM served_in_district
    )
  )
ORDER BY
  institutions.kind NULLS LAST,
  institutions.inst_id NULLS LAST
