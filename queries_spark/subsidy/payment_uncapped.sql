-- Generated from queries/subsidy/payment_uncapped.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH integers AS (
  SELECT
    *,
    CAST(rate * 1000000 AS DECIMAL(38, 0)) AS rate_micro,
    CASE WHEN kind = 'loan' THEN :loan_share_num ELSE :lease_share_num END AS share_num,
    CASE WHEN kind = 'loan' THEN :loan_share_den ELSE :lease_share_den END AS share_den
  FROM judged_payments
), factors AS (
  SELECT
    *,
    share_num * rate_micro <= CAST(:rate_points_micro AS DECIMAL(38, 0)) * share_den AS share_binds
  FROM integers
), fractions AS (
  SELECT
    *,
    CASE WHEN share_binds THEN share_num ELSE :rate_points_micro END AS numerator,
    CASE WHEN share_binds THEN share_den ELSE rate_micro END AS denominator
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
    WHEN NOT reason IS NULL
    THEN CAST(0 AS DECIMAL(38, 0))
    WHEN land_amount = 0
    AND interest_paid < 1000000000
    AND numerator < 1000000
    AND denominator < 1000000000000
    THEN CAST(CAST((
      CAST((
        2 * CAST(interest_paid * 100 AS BIGINT) * numerator + CAST(denominator AS BIGINT)
      ) AS DECIMAL(38, 0)) - PMOD(
        CAST((
          2 * CAST(interest_paid * 100 AS BIGINT) * numerator + CAST(denominator AS BIGINT)
        ) AS DECIMAL(38, 0)),
        NULLIF(2 * CAST(denominator AS BIGINT), 0)
      )
    ) / NULLIF(2 * CAST(denominator AS BIGINT), 0) AS DECIMAL(38, 0)) AS DECIMAL(38, 0))
    ELSE CAST((
      CAST((
        2 * CAST(interest_paid * 100 AS DECIMAL(38, 0)) * CAST((
          amount - land_amount
        ) * 100 AS DECIMAL(38, 0)) * numerator + CAST(amount * 100 AS DECIMAL(38, 0)) * denominator
      ) AS DECIMAL(38, 0)) - PMOD(
        CAST((
          2 * CAST(interest_paid * 100 AS DECIMAL(38, 0)) * CAST((
            amount - land_amount
          ) * 100 AS DECIMAL(38, 0)) * numerator + CAST(amount * 100 AS DECIMAL(38, 0)) * denominator
        ) AS DECIMAL(38, 0)),
        NULLIF(2 * CAST(amount * 100 AS DECIMAL(38, 0)) * denominator, 0)
      )
    ) / NULLIF(2 * CAST(amount * 100 AS DECIMAL(38, 0)) * denominator, 0) AS DECIMAL(38, 0))
  END AS uncapped_fen
FROM fractions
