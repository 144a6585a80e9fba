-- Generated from queries/workflow/qualitative_row.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  self_score,
  final_score
FROM qualitative_scores
WHERE
  year = :year AND inst_id = :inst_id AND indicator = :indicator
