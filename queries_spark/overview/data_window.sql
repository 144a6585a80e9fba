-- Generated from queries/overview/data_window.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH milestones AS (
  SELECT
    registered_on AS day
  FROM applications
  UNION ALL
  SELECT
    connected_on
  FROM applications
  UNION ALL
  SELECT
    decided_on
  FROM applications
  UNION ALL
  SELECT
    disbursed_on
  FROM applications
  UNION ALL
  SELECT
    signed_on
  FROM loans
  UNION ALL
  SELECT
    disbursed_on
  FROM loans
  UNION ALL
  SELECT
    paid_on
  FROM interest_payments
)
SELECT
  MIN(day) AS first_day,
  MAX(day) AS last_day
FROM milestones
