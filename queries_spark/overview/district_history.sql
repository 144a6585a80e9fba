-- Generated from queries/overview/district_history.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  evaluation_runs.year,
  run_districts.district_code,
  run_districts.name,
  run_districts.score,
  run_districts.rank
FROM scoped_run_districts AS run_districts
JOIN evaluation_runs
  ON evaluation_runs.run_id = run_districts.run_id
WHERE
  NOT evaluation_runs.published_at IS NULL
  AND evaluation_runs.superseded_by IS NULL
ORDER BY
  evaluation_runs.year NULLS LAST,
  run_districts.rank NULLS LAST
