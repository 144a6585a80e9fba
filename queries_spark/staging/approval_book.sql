-- Generated from queries/staging/approval_book.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
-- staging: book
SELECT
  applications.inst_id,
  enterprises.district_code,
  applications.decided_on,
  applications.simplified_review,
  COALESCE(
    applications.project_id IN (
      SELECT
        project_id
      FROM projects
      WHERE
        COALESCE(green, FALSE) OR COALESCE(equipment_only, FALSE)
    ),
    FALSE
  )
  OR COALESCE(';' || REPLACE(enterprises.tags, ' ', '') || ';' LIKE '%;whitelist;%', FALSE) AS review_eligible
FROM applications
LEFT JOIN enterprises
  ON enterprises.ent_id = applications.ent_id
WHERE
  applications.decision = 'approved'
