-- Generated from queries/overview/district_race.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  district_code,
  name,
  score,
  rank,
  median_rank,
  rank_p05,
  rank_p95
FROM run_districts
WHERE
  run_id = :run_id
ORDER BY
  rank NULLS LAST,
  district_code NULLS LAST
