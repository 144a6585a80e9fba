-- Generated from queries/subsidy/by_kind.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  i.kind,
  k.label AS kind_text,
  COUNT(DISTINCT i.project_id) AS projects,
  COUNT(*) AS items,
  COUNT(i.reason) AS refused,
  CAST(CAST(SUM(i.uncapped_fen) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS uncapped,
  CAST(CAST(SUM(i.subsidy_fen) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS subsidy
FROM scoped_subsidy_items AS i
LEFT JOIN labels AS k
  ON k.code = i.kind
GROUP BY
  i.kind,
  k.label
