-- Generated from queries/overview/district_map.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  run_districts.district_code,
  run_districts.name,
  run_districts.score,
  run_districts.rank,
  run_indicators.indicator,
  run_indicators.raw
FROM run_districts
LEFT JOIN run_indicators
  ON run_indicators.run_id = run_districts.run_id
  AND run_indicators.subject = 'district'
  AND run_indicators.subject_id = run_districts.district_code
WHERE
  run_districts.run_id = :run_id
ORDER BY
  run_districts.rank NULLS LAST,
  run_districts.district_code NULLS LAST,
  run_indicators.indicator NULLS LAST
