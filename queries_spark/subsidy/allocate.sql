-- Generated from queries/subsidy/allocate.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH totals AS (
  SELECT
    grp,
    SUM(weight) AS total_weight,
    MAX(target) AS target
  FROM claims
  GROUP BY
    grp
), capped AS (
  SELECT
    grp,
    total_weight,
    target
  FROM totals
  WHERE
    target <> total_weight
), marked AS (
  SELECT
    c.grp,
    c.member,
    c.weight,
    k.total_weight,
    k.target
  FROM claims AS c
  LEFT JOIN capped AS k
    ON k.grp = c.grp
), floors AS (
  SELECT
    grp,
    member,
    weight,
    target,
    CASE
      WHEN total_weight = 0
      THEN CAST(0 AS DECIMAL(38, 0))
      ELSE CAST((
        CAST(CAST(weight AS DECIMAL(38, 0)) * target AS DECIMAL(38, 0)) - PMOD(CAST(CAST(weight AS DECIMAL(38, 0)) * target AS DECIMAL(38, 0)), total_weight)
      ) / total_weight AS DECIMAL(38, 0))
    END AS floor_share,
    CAST(ROW_NUMBER() OVER (PARTITION BY grp ORDER BY weight DESC, member NULLS LAST) AS BIGINT) AS size_rank
  FROM marked
  WHERE
    NOT total_weight IS NULL
), leftovers AS (
  SELECT
    grp,
    MAX(target) - SUM(floor_share) AS fen_left
  FROM floors
  GROUP BY
    grp
)
SELECT
  grp,
  member,
  weight,
  CAST(weight AS DECIMAL(38, 0)) AS allocated
FROM marked
WHERE
  total_weight IS NULL
UNION ALL
SELECT
  f.grp,
  f.member,
  f.weight,
  f.floor_share + CASE WHEN f.size_rank <= l.fen_left THEN 1 ELSE 0 END AS allocated
FROM floors AS f
JOIN leftovers AS l
  ON l.grp = f.grp
