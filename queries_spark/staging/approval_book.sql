-- Generated from queries/staging/approval_book.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
-- staging: book
SELECT
  applications.inst_id,
  enterprises.district_code,
  applications.decided_on,
  applications.disbursed_on,
  applications.simplified_review,
  COALESCE(projects.green, FALSE)
  OR COALESCE(projects.equipment_only, FALSE)
  OR COALESCE(';' || REPLACE(enterprises.tags, ' ', '') || ';' LIKE '%;whitelist;%', FALSE) AS review_eligible,
  paid.work_ordinal - registered.work_ordinal AS working_days
FROM applications
LEFT JOIN enterprises
  ON enterprises.ent_id = applications.ent_id
LEFT JOIN projects
  ON projects.project_id = applications.project_id
LEFT JOIN calendar AS registered
  ON registered.day = applications.registered_on
LEFT JOIN calendar AS paid
  ON paid.day = applications.disbursed_on
WHERE
  applications.decision = 'approved'
