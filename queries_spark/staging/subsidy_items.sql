-- Generated from queries/staging/subsidy_items.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  'payment' AS item_type,
  payment_id AS item_id,
  project_id,
  CAST(NULL AS STRING) AS policy_id,
  kind,
  :year AS year,
  inst_id,
  ent_id,
  district_code,
  reason,
  uncapped_fen,
  subsidy_fen
FROM payment_subsidies
UNION ALL
SELECT
  *
FROM guarantee_and_policy_items
