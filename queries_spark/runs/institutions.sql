-- Generated from queries/runs/institutions.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM run_institutions
WHERE
  run_id = :run_id
ORDER BY
  peer_group NULLS LAST,
  rank NULLS LAST,
  inst_id NULLS LAST
