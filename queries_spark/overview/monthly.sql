-- Generated from queries/overview/monthly.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH months AS (
  SELECT DISTINCT
    DATE_TRUNC('MONTH', day) AS month
  FROM calendar
  WHERE
    CAST(YEAR(day) AS BIGINT) = :year
), scoped AS (
  SELECT
    DATE_TRUNC('MONTH', disbursed_on) AS month,
    ent_id,
    amount,
    rate,
    lpr,
    kind
  FROM scoped_eval_loans
  WHERE
    disbursed_year = :year
), per_month AS (
  SELECT
    month,
    SUM(amount) AS amount,
    COUNT(*) AS loans,
    COUNT(DISTINCT ent_id) AS enterprises,
    CAST(SUM(CASE WHEN kind = 'loan' THEN CAST(amount AS DECIMAL(38, 2)) * rate END) AS DOUBLE) / NULLIF(SUM(CASE WHEN kind = 'loan' THEN amount END), 0) AS mean_rate,
    CAST(SUM(CASE WHEN kind = 'loan' THEN CAST(amount AS DECIMAL(38, 2)) * lpr END) AS DOUBLE) / NULLIF(SUM(CASE WHEN kind = 'loan' THEN amount END), 0) AS mean_lpr
  FROM scoped
  GROUP BY
    month
), filled AS (
  SELECT
    months.month,
    COALESCE(per_month.amount, 0) AS amount,
    COALESCE(per_month.loans, 0) AS loans,
    COALESCE(per_month.enterprises, 0) AS enterprises,
    per_month.mean_rate,
    per_month.mean_lpr
  FROM months
  LEFT JOIN per_month
    ON per_month.month = months.month
)
SELECT
  *,
  SUM(amount) OVER (ORDER BY month NULLS LAST rows BETWEEN UNBOUNDED preceding AND CURRENT ROW) AS cumulative_amount
FROM filled
ORDER BY
  month NULLS LAST
