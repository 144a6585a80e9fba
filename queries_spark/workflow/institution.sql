-- Generated from queries/workflow/institution.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  inst_id,
  name,
  kind
FROM institutions
WHERE
  inst_id = :inst_id
