-- Generated from queries/staging/queue_order.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH claims AS (
  SELECT
    p.payment_id,
    p.paid_on,
    p.subsidy_fen,
    NOT c.inst_id IS NULL AS cooperating
  FROM payment_subsidies AS p
  LEFT JOIN cooperation AS c
    ON c.inst_id = p.inst_id AND c.year = :year
  WHERE
    p.subsidy_fen > 0
), days AS (
  SELECT
    cooperating,
    paid_on,
    COUNT(*) AS day_claims,
    SUM(subsidy_fen) AS day_fen
  FROM claims
  GROUP BY
    cooperating,
    paid_on
), earlier_days AS (
  SELECT
    cooperating,
    paid_on,
    CAST(SUM(day_claims) OVER (
      ORDER BY cooperating DESC, paid_on NULLS LAST
      rows BETWEEN UNBOUNDED preceding AND CURRENT ROW
    ) - day_claims AS BIGINT) AS claims_before,
    SUM(day_fen) OVER (
      ORDER BY cooperating DESC, paid_on NULLS LAST
      rows BETWEEN UNBOUNDED preceding AND CURRENT ROW
    ) - day_fen AS fen_before
  FROM days
), ordered AS (
  SELECT
    c.*,
    d.claims_before + CAST(ROW_NUMBER() OVER (PARTITION BY c.cooperating, c.paid_on ORDER BY c.payment_id NULLS LAST) AS BIGINT) AS queue_no,
    d.fen_before + SUM(c.subsidy_fen) OVER (
      PARTITION BY c.cooperating, c.paid_on
      ORDER BY c.payment_id NULLS LAST
      rows BETWEEN UNBOUNDED preceding AND CURRENT ROW
    ) - c.subsidy_fen AS ahead_fen
  FROM claims AS c
  JOIN earlier_days AS d
    ON d.cooperating = c.cooperating AND d.paid_on = c.paid_on
)
SELECT
  *
FROM ordered
