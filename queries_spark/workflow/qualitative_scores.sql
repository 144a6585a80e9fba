-- Generated from queries/workflow/qualitative_scores.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH expected AS (
  SELECT
    i.inst_id,
    i.name,
    i.kind,
    q.indicator
  FROM scoped_reporters AS i
  CROSS JOIN (
    SELECT
      EXPLODE(:indicators) AS indicator
  ) AS q
)
SELECT
  e.inst_id,
  e.name,
  e.kind,
  e.indicator,
  s.self_score,
  s.justification,
  s.self_by,
  s.self_at,
  s.final_score,
  s.review_comment,
  s.reviewed_by,
  s.reviewed_at
FROM expected AS e
LEFT JOIN qualitative_scores AS s
  ON s.inst_id = e.inst_id AND s.indicator = e.indicator AND s.year = :year
ORDER BY
  e.kind NULLS LAST,
  e.inst_id NULLS LAST,
  e.indicator NULLS LAST
