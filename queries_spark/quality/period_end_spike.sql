-- Generated from queries/quality/period_end_spike.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH signed AS (
  SELECT
    l.inst_id,
    l.amount,
    l.signed_on,
    CAST(YEAR(l.signed_on) AS BIGINT) * 10 + CAST((
      CAST((
        CAST(MONTH(l.signed_on) AS BIGINT) + 2
      ) AS DECIMAL(38, 0)) - PMOD(CAST((
        CAST(MONTH(l.signed_on) AS BIGINT) + 2
      ) AS DECIMAL(38, 0)), 3)
    ) / 3 AS DECIMAL(38, 0)) AS quarter,
    MAKE_DATE(
      CAST(YEAR(l.signed_on) AS BIGINT),
      (
        CAST((
          CAST((
            CAST(MONTH(l.signed_on) AS BIGINT) + 2
          ) AS DECIMAL(38, 0)) - PMOD(CAST((
            CAST(MONTH(l.signed_on) AS BIGINT) + 2
          ) AS DECIMAL(38, 0)), 3)
        ) / 3 AS DECIMAL(38, 0))
      ) * 3,
      1
    ) + INTERVAL '1' MONTH - INTERVAL '1' DAY AS quarter_end
  FROM scoped_loans AS l
  WHERE
    CAST(YEAR(l.signed_on) AS BIGINT) = :year
), quarters AS (
  SELECT
    inst_id,
    quarter,
    SUM(amount) AS amount,
    SUM(
      CASE
        WHEN CAST((
          UNIX_TIMESTAMP(quarter_end) - UNIX_TIMESTAMP(signed_on)
        ) AS DOUBLE) / 86400 < :spike_days
        THEN amount
        ELSE 0
      END
    ) AS last_amount,
    COUNT(*) FILTER(WHERE
      CAST((
        UNIX_TIMESTAMP(quarter_end) - UNIX_TIMESTAMP(signed_on)
      ) AS DOUBLE) / 86400 < :spike_days) AS last_count
  FROM signed
  GROUP BY
    inst_id,
    quarter
)
SELECT
  inst_id,
  CAST(NULL AS STRING) AS district_code,
  'loans' AS table_name,
  CAST(CAST((
    CAST(quarter AS DECIMAL(38, 0)) - PMOD(CAST(quarter AS DECIMAL(38, 0)), 10)
  ) / 10 AS DECIMAL(38, 0)) AS STRING) || '-Q' || CAST(quarter % 10 AS STRING) AS row_key,
  '季末最后 ' || CAST(:spike_days AS STRING) || ' 天签约 ' || CAST(last_count AS STRING) || ' 笔，占该季度签约金额的 ' || CAST(ROUND(
    CAST(100 * CAST(last_amount AS DOUBLE) AS DOUBLE) / NULLIF(CAST(amount AS DOUBLE), 0),
    1
  ) AS STRING) || '%' AS detail
FROM quarters
WHERE
  last_count >= :spike_count
  AND CAST(last_amount AS DOUBLE) >= :spike_share * CAST(amount AS DOUBLE)
