-- Generated from queries/indicators/products.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH library AS (
  SELECT
    inst_id,
    COUNT(*) AS innovative_products
  FROM products
  WHERE
    innovative AND (
      launched_on IS NULL OR launched_on <= :until
    )
  GROUP BY
    inst_id
), lent AS (
  SELECT
    inst_id,
    CAST(SUM(CASE WHEN innovative_product THEN amount ELSE 0 END) AS DOUBLE) / NULLIF(SUM(amount), 0) AS innovative_share
  FROM eval_loans
  WHERE
    disbursed_year = :year
  GROUP BY
    inst_id
), typical AS (
  SELECT
    inst_id,
    COUNT(*) AS cases
  FROM cases
  WHERE
    year = :year
  GROUP BY
    inst_id
), parts AS (
  SELECT
    roster.inst_id,
    COALESCE(library.innovative_products, 0) AS innovative_products,
    COALESCE(lent.innovative_share, 0) AS innovative_share,
    COALESCE(typical.cases, 0) AS cases
  FROM roster
  LEFT JOIN library
    ON library.inst_id = roster.inst_id
  LEFT JOIN lent
    ON lent.inst_id = roster.inst_id
  LEFT JOIN typical
    ON typical.inst_id = roster.inst_id
)
SELECT
  inst_id,
  innovative_products AS I1_products,
  innovative_share AS I1_share,
  cases AS I1_cases,
  CAST(100 * (
    LEAST(1.0, innovative_products / NULLIF(:products_full, 0)) + innovative_share + LEAST(1.0, cases / NULLIF(:cases_full, 0))
  ) AS DOUBLE) / 3 AS I1
FROM parts
ORDER BY
  inst_id NULLS LAST
