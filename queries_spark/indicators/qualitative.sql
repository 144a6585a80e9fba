-- Generated from queries/indicators/qualitative.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  inst_id,
  indicator,
  CAST(final_score AS DOUBLE) AS score
FROM qualitative_scores
WHERE
  year = :year AND NOT final_score IS NULL
