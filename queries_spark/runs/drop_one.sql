-- Generated from queries/runs/drop_one.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  inst_id,
  peer_group,
  dropped,
  rank,
  base_rank,
  shift
FROM run_drop_one
WHERE
  run_id = :run_id
ORDER BY
  peer_group NULLS LAST,
  inst_id NULLS LAST,
  dropped NULLS LAST
