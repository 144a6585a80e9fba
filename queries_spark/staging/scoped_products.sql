-- Generated from queries/staging/scoped_products.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  *
FROM products
WHERE
  (
    :scope_inst IS NULL OR inst_id = :scope_inst
  ) AND :scope_district IS NULL
