-- Generated from queries/overview/districts.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  district_code,
  name,
  category
FROM districts
ORDER BY
  district_code NULLS LAST
