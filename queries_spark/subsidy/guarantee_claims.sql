-- Generated from queries/subsidy/guarantee_claims.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH yearly AS (
  SELECT
    project_id,
    year,
    SUM(uncapped_fen) AS uncapped
  FROM guarantee_uncapped
  WHERE
    reason IS NULL
  GROUP BY
    project_id,
    year
), running AS (
  SELECT
    project_id,
    year,
    uncapped,
    SUM(uncapped) OVER (
      PARTITION BY project_id
      ORDER BY year NULLS LAST
      rows BETWEEN UNBOUNDED preceding AND CURRENT ROW
    ) AS running_total
  FROM yearly
), granted AS (
  SELECT
    project_id,
    year,
    uncapped,
    LEAST(running_total, :guarantee_cap_fen) - LEAST(running_total - uncapped, :guarantee_cap_fen) AS target
  FROM running
)
SELECT
  g.project_id AS grp,
  g.guarantee_id AS member,
  g.uncapped_fen AS weight,
  t.target
FROM guarantee_uncapped AS g
JOIN granted AS t
  ON t.project_id = g.project_id AND t.year = g.year
WHERE
  g.reason IS NULL AND g.year = :year AND t.target < t.uncapped
