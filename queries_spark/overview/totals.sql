-- Generated from queries/overview/totals.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH scoped AS (
  SELECT
    loans.loan_id,
    loans.ent_id,
    loans.amount,
    loans.rate,
    loans.lpr,
    loans.kind,
    CAST(YEAR(loans.disbursed_on) AS BIGINT) AS year
  FROM scoped_loans AS loans
  WHERE
    NOT loans.disbursed_on IS NULL
    AND CAST(YEAR(loans.disbursed_on) AS BIGINT) IN (:year, :year - 1)
), this_year AS (
  SELECT
    COALESCE(SUM(amount), 0) AS amount,
    COUNT(*) AS loans,
    COUNT(DISTINCT ent_id) AS enterprises,
    CAST(SUM(CASE WHEN kind = 'loan' THEN amount * rate END) AS DOUBLE) / NULLIF(SUM(CASE WHEN kind = 'loan' THEN amount END), 0) AS mean_rate,
    CAST(SUM(CASE WHEN kind = 'loan' THEN amount * lpr END) AS DOUBLE) / NULLIF(SUM(CASE WHEN kind = 'loan' THEN amount END), 0) AS mean_lpr
  FROM scoped
  WHERE
    year = :year
), last_year AS (
  SELECT
    COALESCE(SUM(amount), 0) AS amount_before
  FROM scoped
  WHERE
    year = :year - 1
)
SELECT
  this_year.*,
  last_year.amount_before
FROM this_year
CROSS JOIN last_year
