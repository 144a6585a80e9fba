-- Generated from queries/overview/totals.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH scoped AS (
  SELECT
    ent_id,
    amount,
    rate,
    lpr,
    kind,
    disbursed_on,
    disbursed_year
  FROM scoped_eval_loans
  WHERE
    disbursed_year IN (:year, :year - 1)
), this_year AS (
  SELECT
    COALESCE(SUM(amount), 0) AS amount,
    COUNT(*) AS loans,
    COUNT(DISTINCT ent_id) AS enterprises,
    CAST(SUM(CASE WHEN kind = 'loan' THEN CAST(amount AS DECIMAL(38, 2)) * rate END) AS DOUBLE) / NULLIF(SUM(CASE WHEN kind = 'loan' THEN amount END), 0) AS mean_rate,
    CAST(SUM(CASE WHEN kind = 'loan' THEN CAST(amount AS DECIMAL(38, 2)) * lpr END) AS DOUBLE) / NULLIF(SUM(CASE WHEN kind = 'loan' THEN amount END), 0) AS mean_lpr
  FROM scoped
  WHERE
    disbursed_year = :year
), last_year AS (
  SELECT
    COALESCE(SUM(amount), 0) AS amount_before
  FROM scoped
  WHERE
    disbursed_year = :year - 1 AND disbursed_on <= :until_last_year
), reported AS (
  SELECT
    COALESCE(SUM(amount), 0) AS reported_amount
  FROM scoped_loans
  WHERE
    disbursed_on BETWEEN MAKE_DATE(:year, 1, 1) AND :until
)
SELECT
  this_year.*,
  last_year.amount_before,
  reported.reported_amount
FROM this_year
CROSS JOIN last_year
CROSS JOIN reported
