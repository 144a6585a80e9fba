-- Generated from queries/overview/cumulative_by_institution.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH months AS (
  SELECT DISTINCT
    DATE_TRUNC('MONTH', day) AS month
  FROM calendar
  WHERE
    CAST(YEAR(day) AS BIGINT) = :year
), racers AS (
  SELECT
    inst_id,
    name,
    peer_group
  FROM scoped_roster
), per_month AS (
  SELECT
    inst_id,
    DATE_TRUNC('MONTH', disbursed_on) AS month,
    SUM(amount) AS amount,
    COUNT(*) AS loans
  FROM scoped_eval_loans
  WHERE
    disbursed_year = :year
  GROUP BY
    inst_id,
    month
), grid AS (
  SELECT
    racers.inst_id,
    racers.name,
    racers.peer_group,
    months.month,
    COALESCE(per_month.amount, 0) AS amount,
    COALESCE(per_month.loans, 0) AS loans
  FROM racers
  CROSS JOIN months
  LEFT JOIN per_month
    ON per_month.inst_id = racers.inst_id AND per_month.month = months.month
), running AS (
  SELECT
    *,
    SUM(amount) OVER (
      PARTITION BY inst_id
      ORDER BY month NULLS LAST
      rows BETWEEN UNBOUNDED preceding AND CURRENT ROW
    ) AS cumulative_amount
  FROM grid
)
SELECT
  *,
  CAST(ROW_NUMBER() OVER (
    PARTITION BY month, peer_group
    ORDER BY cumulative_amount DESC, inst_id NULLS LAST
  ) AS BIGINT) AS race_position
FROM running
ORDER BY
  month NULLS LAST,
  peer_group NULLS LAST,
  race_position NULLS LAST
