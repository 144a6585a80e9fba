-- Generated from queries/overview/district_race.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
/* A stored run's district race (R16): every unit's score and rank. The race is published */
/* to all districts (十九 通报), so it is not narrowed by scope; a unit's indicators are */
/* (my_indicators.sql), and others appear here only as score and rank. */
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
