-- Generated from queries/overview/institutions.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH served AS (
  SELECT
    inst_id
  FROM scoped_applications
  UNION
  SELECT
    inst_id
  FROM scoped_loans
)
SELECT
  inst_id,
  name,
  peer_group
FROM roster
WHERE
  (
    :scope_inst IS NULL OR inst_id = :scope_inst
  )
  AND (
    :scope_district IS NULL OR inst_id IN (
      SELECT
        inst_id
      FROM served
    )
  )
ORDER BY
  peer_group NULLS LAST,
  inst_id NULLS LAST
