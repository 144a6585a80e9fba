-- Generated from queries/subsidy/by_institution.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH totals AS (
  SELECT
    inst_id,
    COUNT(DISTINCT project_id) AS projects,
    COUNT(*) AS items,
    COUNT(reason) AS refused,
    SUM(uncapped_fen) AS uncapped_fen,
    SUM(subsidy_fen) AS subsidy_fen
  FROM scoped_subsidy_items
  GROUP BY
    inst_id
), cooperating AS (
  SELECT
    inst_id
  FROM cooperation
  WHERE
    year = :year
)
SELECT
  t.inst_id,
  i.name AS inst_name,
  i.kind AS inst_kind,
  NOT c.inst_id IS NULL AS cooperating,
  t.projects,
  t.items,
  t.refused,
  CAST(CAST(t.uncapped_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS uncapped,
  CAST(CAST(t.subsidy_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS subsidy
FROM totals AS t
LEFT JOIN institutions AS i
  ON i.inst_id = t.inst_id
LEFT JOIN cooperating AS c
  ON c.inst_id = t.inst_id
ORDER BY
  t.subsidy_fen DESC,
  t.inst_id NULLS LAST
