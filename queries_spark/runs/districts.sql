-- Generated from queries/runs/districts.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM run_districts
WHERE
  run_id = :run_id
ORDER BY
  rank NULLS LAST,
  district_code NULLS LAST
