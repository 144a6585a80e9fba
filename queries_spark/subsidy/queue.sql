-- Generated from queries/subsidy/queue.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH claims AS (
  SELECT
    p.payment_id,
    p.loan_id,
    p.project_id,
    p.ent_id,
    p.inst_id,
    p.district_code,
    p.kind,
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
), paid AS (
  SELECT
    *,
    CASE
      WHEN CAST(:budget_fen AS DECIMAL(38, 0)) IS NULL
      THEN subsidy_fen
      ELSE GREATEST(
        CAST(0 AS DECIMAL(38, 0)),
        LEAST(subsidy_fen, CAST(:budget_fen AS DECIMAL(38, 0)) - ahead_fen)
      )
    END AS paid_fen,
    CAST((
      CAST((
        2 * subsidy_fen * :city_share_num + :city_share_den
      ) AS DECIMAL(38, 0)) - PMOD(
        CAST((
          2 * subsidy_fen * :city_share_num + :city_share_den
        ) AS DECIMAL(38, 0)),
        NULLIF(2 * :city_share_den, 0)
      )
    ) / NULLIF(2 * :city_share_den, 0) AS DECIMAL(38, 0)) AS city_fen
  FROM ordered
), statused AS (
  SELECT
    *,
    CASE
      WHEN paid_fen = subsidy_fen
      THEN 'paid'
      WHEN paid_fen > 0
      THEN 'partial'
      ELSE 'waiting'
    END AS status
  FROM paid
)
SELECT
  q.queue_no,
  q.payment_id,
  q.loan_id,
  q.project_id,
  q.ent_id,
  q.inst_id,
  q.district_code,
  q.kind,
  q.paid_on,
  q.cooperating,
  CAST(CAST(q.subsidy_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS subsidy,
  CAST(CAST(q.city_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS city_part,
  CAST(CAST(q.subsidy_fen - q.city_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS district_part,
  CAST(CAST(q.ahead_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS ahead,
  CAST(CAST(q.paid_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS paid,
  q.status,
  r.label AS status_text
FROM statused AS q
JOIN scoped_payments AS mine
  ON mine.payment_id = q.payment_id
LEFT JOIN labels AS r
  ON r.code = q.status
ORDER BY
  q.queue_no NULLS LAST
