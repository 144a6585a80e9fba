-- Generated from queries/staging/roster.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  inst_id,
  name,
  kind AS peer_group,
  tier,
  local_legal_person,
  paid_in_capital
FROM institutions
WHERE
  kind IN ('bank', 'leasing')
