-- Generated from queries/budget/claims.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH interest AS (
  SELECT
    p.project_id,
    p.kind,
    p.subsidy_fen AS fen,
    CASE WHEN :by_paid_on OR c.inst_id IS NULL THEN 1 ELSE 0 END AS rank_group,
    p.paid_on,
    p.payment_id
  FROM payment_subsidies AS p
  LEFT JOIN cooperation AS c
    ON c.inst_id = p.inst_id AND c.year = :year
  WHERE
    p.subsidy_fen > 0
), others AS (
  SELECT
    project_id,
    kind,
    variant_fen AS fen
  FROM budget_rows
  WHERE
    NOT kind IN ('loan', 'lease')
)
SELECT
  project_id,
  kind,
  fen
FROM (
  SELECT
    0 AS part,
    rank_group,
    paid_on,
    payment_id,
    project_id,
    kind,
    fen
  FROM interest
  UNION ALL
  SELECT
    1 AS part,
    0 AS rank_group,
    CAST(NULL AS DATE) AS paid_on,
    CAST(NULL AS STRING) AS payment_id,
    project_id,
    kind,
    fen
  FROM others
) AS queued
ORDER BY
  part NULLS LAST,
  rank_group NULLS LAST,
  paid_on NULLS LAST,
  payment_id NULLS LAST,
  project_id NULLS LAST,
  kind NULLS LAST
