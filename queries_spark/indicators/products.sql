-- Generated from queries/indicators/products.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH library AS (
  SELECT
    cut_offs.until,
    products.inst_id,
    COUNT(*) AS innovative_products
  FROM cut_offs
  JOIN products
    ON products.launched_on IS NULL OR products.launched_on <= cut_offs.until
  WHERE
    products.innovative
  GROUP BY
    cut_offs.until,
    products.inst_id
), lent_days AS (
  SELECT
    inst_id,
    GREATEST(counted_on, disbursed_on) AS lent_on,
    SUM(CASE WHEN innovative_product THEN amount ELSE 0 END) AS innovative_amount,
    SUM(amount) AS amount
  FROM eval_loans
  WHERE
    disbursed_year = :year
  GROUP BY
    inst_id,
    GREATEST(counted_on, disbursed_on)
), lent AS (
  SELECT
    cut_offs.until,
    lent_days.inst_id,
    CAST(SUM(innovative_amount) AS DOUBLE) / NULLIF(SUM(amount), 0) AS innovative_share
  FROM cut_offs
  JOIN lent_days
    ON lent_days.lent_on <= cut_offs.until
  GROUP BY
    cut_offs.until,
    lent_days.inst_id
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
    cut_offs.until,
    roster.inst_id,
    COALESCE(library.innovative_products, 0) AS innovative_products,
    COALESCE(lent.innovative_share, 0) AS innovative_share,
    COALESCE(typical.cases, 0) AS cases
  FROM cut_offs
  CROSS JOIN roster
  LEFT JOIN library
    ON library.until = cut_offs.until AND library.inst_id = roster.inst_id
  LEFT JOIN lent
    ON lent.until = cut_offs.until AND lent.inst_id = roster.inst_id
  LEFT JOIN typical
    ON typical.inst_id = roster.inst_id
)
SELECT
  until,
  inst_id,
  innovative_products AS I1_products,
  innovative_share AS I1_share,
  cases AS I1_cases,
  CAST(100 * (
    LEAST(1.0, innovative_products / NULLIF(:products_full, 0)) + innovative_share + LEAST(1.0, cases / NULLIF(:cases_full, 0))
  ) AS DOUBLE) / 3 AS I1
FROM parts
ORDER BY
  until NULLS LAST,
  inst_id NULLS LAST
