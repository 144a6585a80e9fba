-- Generated from queries/subsidy/allocate.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
/* R4 (and the caps of R5, R6): share each group's target among its members in */
/* proportion to their weight, to the fen. Every member gets the floor of its exact */
/* share; the fen left over (fewer than the members) go one each to the largest members */
/* (ties: the smallest id), so the shares add up to the target exactly and no share */
/* exceeds its weight. Reads `claims(grp, member, weight, target)` with */
/* 0 ≤ target ≤ the group's total weight; weights and targets are integer fen. */
/* Most groups are not capped (target = total weight): each member then gets its weight */
/* exactly, so only the few capped groups are ranked and divided. */
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
