-- Generated from queries/runs/districts.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
/* One stored run's district race (R16), in rank order. */
SELECT
  *
FROM run_districts
WHERE
  run_id = :run_id
ORDER BY
  rank NULLS LAST,
  district_code NULLS LAST
