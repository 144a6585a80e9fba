-- Generated from queries/subsidy/payment_uncapped.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH integers AS (
  SELECT
    *,
    CAST(interest_paid * 100 AS DECIMAL(38, 0)) AS interest_fen,
    CAST(amount * 100 AS DECIMAL(38, 0)) AS amount_fen,
    CAST((
      amount - land_amount
    ) * 100 AS DECIMAL(38, 0)) AS non_land_fen,
    CAST(rate * 1000000 AS DECIMAL(38, 0)) AS rate_micro,
    CASE WHEN kind = 'loan' THEN :loan_share_num ELSE :lease_share_num END AS share_num,
    CASE WHEN kind = 'loan' THEN :loan_share_den ELSE :lease_share_den END AS share_den
  FROM judged_payments
), factors AS (
  SELECT
    *,
    share_num * rate_micro <= :rate_points_micro * share_den AS share_binds
  FROM integers
), fractions AS (
  SELECT
    *,
    interest_fen * non_land_fen * CASE WHEN share_binds THEN share_num ELSE :rate_points_micro END AS numerator,
    amount_fen * CASE WHEN share_binds THEN share_den ELSE rate_micro END AS denominator
  FROM factors
)
SELECT
  payment_id,
  loan_id,
  inst_id,
  ent_id,
  project_id,
  district_code,
  kind,
  paid_on,
  interest_paid,
  amount,
  land_amount,
  rate,
  reason,
  CASE WHEN share_binds THEN 'rate_share' ELSE 'rate_points' END AS basis,
  CASE
    WHEN reason IS NULL
    THEN CAST((
      CAST((
        2 * numerator + denominator
      ) AS DECIMAL(38, 0)) - PMOD(
        CAST((
          2 * numerator + denominator
        ) AS DECIMAL(38, 0)),
        NULLIF(2 * denominator, 0)
      )
    ) / NULLIF(2 * denominator, 0) AS DECIMAL(38, 0))
    ELSE CAST(0 AS DECIMAL(38, 0))
  END AS uncapped_fen
FROM fractions
