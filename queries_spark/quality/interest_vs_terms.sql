-- Generated from queries/quality/interest_vs_terms.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH payments AS (
  SELECT
    p.payment_id,
    l.inst_id,
    l.ent_district_code AS district_code,
    p.interest_paid,
    p.period_start,
    p.period_end,
    l.disbursed_on,
    CAST(CAST(l.amount AS DOUBLE) * CAST(l.rate AS DOUBLE) * (
      (
        UNIX_TIMESTAMP(p.period_end) - UNIX_TIMESTAMP(p.period_start)
      ) / 86400 + 1
    ) AS DOUBLE) / 360 AS most
  FROM interest_payments AS p
  JOIN scoped_loans AS l
    ON l.loan_id = p.loan_id
  WHERE
    CAST(YEAR(p.paid_on) AS BIGINT) = :year
)
SELECT
  inst_id,
  district_code,
  'interest_payments' AS table_name,
  payment_id AS row_key,
  CASE
    WHEN NOT disbursed_on IS NULL AND period_end < disbursed_on
    THEN '计息期 ' || DATE_FORMAT(period_start, 'yyyy-MM-dd') || '至' || DATE_FORMAT(period_end, 'yyyy-MM-dd') || ' 早于放款日 ' || DATE_FORMAT(disbursed_on, 'yyyy-MM-dd')
    ELSE '付息 ' || CAST(interest_paid AS STRING) || ' 元，超过合同金额×利率×天数/360 的 ' || CAST(CAST(most AS DECIMAL(18, 2)) AS STRING) || ' 元'
  END AS detail
FROM payments
WHERE
  (
    NOT disbursed_on IS NULL AND period_end < disbursed_on
  )
  OR CAST(interest_paid AS DOUBLE) > most * (
    1 + :interest_tolerance
  ) + 1
