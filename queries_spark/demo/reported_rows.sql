-- Generated from queries/demo/reported_rows.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  'institutions' AS tbl,
  COUNT(*) AS n
FROM institutions
UNION ALL
SELECT
  'enterprises' AS tbl,
  COUNT(*) AS n
FROM enterprises
UNION ALL
SELECT
  'projects' AS tbl,
  COUNT(*) AS n
FROM projects
UNION ALL
SELECT
  'products' AS tbl,
  COUNT(*) AS n
FROM products
UNION ALL
SELECT
  'applications' AS tbl,
  COUNT(*) AS n
FROM applications
UNION ALL
SELECT
  'loans' AS tbl,
  COUNT(*) AS n
FROM loans
UNION ALL
SELECT
  'interest_payments' AS tbl,
  COUNT(*) AS n
FROM interest_payments
UNION ALL
SELECT
  'guarantees' AS tbl,
  COUNT(*) AS n
FROM guarantees
UNION ALL
SELECT
  'insurance_policies' AS tbl,
  COUNT(*) AS n
FROM insurance_policies
UNION ALL
SELECT
  'cases' AS tbl,
  COUNT(*) AS n
FROM cases
UNION ALL
SELECT
  'cooperation' AS tbl,
  COUNT(*) AS n
FROM cooperation
UNION ALL
SELECT
  'flags' AS tbl,
  COUNT(*) AS n
FROM flags
