-- Generated from queries/subsidy/queue.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH paid AS (
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
  FROM queue_order
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
  mine.loan_id,
  mine.project_id,
  mine.ent_id,
  mine.inst_id,
  mine.district_code,
  mine.kind,
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
