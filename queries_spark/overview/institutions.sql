-- Generated from queries/overview/institutions.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  inst_id,
  name,
  peer_group
FROM scoped_roster
ORDER BY
  peer_group NULLS LAST,
  inst_id NULLS LAST
