-- Generated from queries/subsidy/guarantee_uncapped.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH guarantees_judged AS (
  SELECT
    j.event_id AS guarantee_id,
    j.loan_id,
    j.project_id,
    j.ent_id,
    j.district_code,
    j.paid_on,
    j.paid AS fee_paid,
    j.reason AS loan_reason,
    g.guarantor_id,
    g.guaranteed_amount,
    g.fee_rate,
    COALESCE(gi.kind, '') AS guarantor_kind
  FROM judged_events AS j
  JOIN guarantees AS g
    ON g.guarantee_id = j.event_id
  LEFT JOIN institutions AS gi
    ON gi.inst_id = g.guarantor_id
  WHERE
    j.source = 'guarantee'
), reasoned AS (
  SELECT
    *,
    CASE
      WHEN NOT loan_reason IS NULL
      THEN loan_reason
      WHEN guarantor_kind <> 'guarantee'
      THEN 'guarantor_not_guarantee_firm'
      WHEN fee_rate > :guarantee_fee_rate_max
      THEN 'fee_rate_above_1pct'
    END AS reason,
    CAST(fee_paid * 100 AS DECIMAL(38, 0)) * :guarantee_share_num AS numerator,
    CAST(:guarantee_share_den AS DECIMAL(38, 0)) AS denominator
  FROM guarantees_judged
)
SELECT
  guarantee_id,
  loan_id,
  project_id,
  ent_id,
  district_code,
  guarantor_id AS inst_id,
  paid_on,
  CAST(YEAR(paid_on) AS BIGINT) AS year,
  fee_paid,
  guaranteed_amount,
  fee_rate,
  reason,
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
FROM reasoned
