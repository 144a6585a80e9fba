-- Generated from queries/overview/products.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH lent AS (
  SELECT
    product_id,
    COUNT(*) AS loans,
    SUM(amount) AS amount
  FROM loans
  WHERE
    CAST(YEAR(disbursed_on) AS BIGINT) = :year AND NOT product_id IS NULL
  GROUP BY
    product_id
)
SELECT
  products.inst_id,
  products.product_id,
  products.name,
  products.category,
  products.launched_on,
  products.innovative,
  COALESCE(lent.loans, 0) AS loans,
  COALESCE(lent.amount, 0) AS amount
FROM scoped_products AS products
LEFT JOIN lent
  ON lent.product_id = products.product_id
ORDER BY
  products.inst_id NULLS LAST,
  products.innovative DESC,
  products.launched_on NULLS LAST,
  products.product_id NULLS LAST
