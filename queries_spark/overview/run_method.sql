-- Generated from queries/overview/run_method.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
/* The method file a stored run was evaluated with (indicator names and weights for the pages). */
SELECT
  method_text
FROM evaluation_runs
WHERE
  run_id = :run_id
