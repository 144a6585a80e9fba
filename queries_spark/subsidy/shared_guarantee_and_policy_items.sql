-- Generated from queries/subsidy/shared_guarantee_and_policy_items.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM guarantee_and_policy_items
