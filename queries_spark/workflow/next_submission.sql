-- Generated from queries/workflow/next_submission.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  NEXTVAL('submission_seq') AS number
