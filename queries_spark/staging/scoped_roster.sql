-- Generated from queries/staging/scoped_roster.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
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
  roster.*
FROM roster
WHERE
  (
    :scope_inst IS NULL OR roster.inst_id = :scope_inst
  )
  AND (
    :scope_district IS NULL
    OR roster.inst_id IN (
      SELECT
        inst_id
      FROM served
    )
  )
