-- Generated from queries/subsidy/by_district.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH grouped AS (
  SELECT
    district_code,
    COUNT(DISTINCT project_id) AS projects,
    COUNT(*) AS items,
    COUNT(reason) AS refused,
    SUM(subsidy_fen) AS subsidy_fen
  FROM scoped_subsidy_items
  GROUP BY
    district_code
)
SELECT
  d.district_code,
  d.name,
  COALESCE(g.projects, 0) AS projects,
  COALESCE(g.items, 0) AS items,
  COALESCE(g.refused, 0) AS refused,
  CAST(CAST(COALESCE(g.subsidy_fen, 0) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS subsidy
FROM districts AS d
LEFT JOIN grouped AS g
  ON g.district_code = d.district_code
ORDER BY
  COALESCE(g.subsidy_fen, 0) DESC,
  d.district_code NULLS LAST
