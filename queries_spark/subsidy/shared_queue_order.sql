-- Generated from queries/subsidy/shared_queue_order.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM queue_order
