-- Generated from queries/staging/guarantee_and_policy_items.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH guarantee_fees AS (
  SELECT
    'guarantee' AS item_type,
    g.guarantee_id AS item_id,
    g.project_id,
    CAST(NULL AS STRING) AS policy_id,
    'guarantee' AS kind,
    g.year,
    g.inst_id,
    g.ent_id,
    g.district_code,
    g.reason,
    g.uncapped_fen,
    COALESCE(s.allocated, g.uncapped_fen) AS subsidy_fen
  FROM guarantee_uncapped AS g
  LEFT JOIN guarantee_shares AS s
    ON s.member = g.guarantee_id
  WHERE
    g.year = :year
), policies AS (
  SELECT
    'policy' AS item_type,
    i.policy_id AS item_id,
    COALESCE(i.project_id, i.policy_id) AS project_id,
    i.policy_id,
    i.kind,
    i.year,
    i.inst_id,
    i.ent_id,
    i.district_code,
    i.reason,
    i.uncapped_fen,
    COALESCE(s.allocated, i.uncapped_fen) AS subsidy_fen
  FROM insurance_uncapped AS i
  LEFT JOIN insurance_shares AS s
    ON s.member = i.policy_id
)
SELECT
  *
FROM guarantee_fees
UNION ALL
SELECT
  *
FROM policies
