-- Generated from queries/budget/simulation.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH money AS (
  SELECT
    r.*,
    CASE WHEN :unlimited THEN r.variant_fen ELSE COALESCE(p.paid_fen, 0) END AS paid_fen,
    CAST((
      CAST((
        2 * CAST(r.variant_fen AS DECIMAL(38, 0)) * :city_share_num + :city_share_den
      ) AS DECIMAL(38, 0)) - PMOD(
        CAST((
          2 * CAST(r.variant_fen AS DECIMAL(38, 0)) * :city_share_num + :city_share_den
        ) AS DECIMAL(38, 0)),
        NULLIF(2 * :city_share_den, 0)
      )
    ) / NULLIF(2 * :city_share_den, 0) AS DECIMAL(38, 0)) AS city_fen
  FROM budget_rows AS r
  LEFT JOIN budget_paid AS p
    ON p.project_id = r.project_id AND p.kind = r.kind
)
SELECT
  m.project_id,
  m.kind,
  k.label AS kind_text,
  m.ent_id,
  m.district_code,
  m.inst_ids,
  CAST(CAST(m.baseline_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS baseline,
  CAST(CAST(m.variant_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS variant,
  CAST(CAST(m.variant_fen - m.baseline_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS change,
  CAST(CAST(m.paid_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS paid,
  CAST(CAST(m.variant_fen - m.paid_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS waiting,
  CAST(CAST(m.city_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS city_part,
  CAST(CAST(m.variant_fen - m.city_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS district_part
FROM money AS m
LEFT JOIN labels AS k
  ON k.code = m.kind
ORDER BY
  m.project_id NULLS LAST,
  m.kind NULLS LAST
