-- Generated from queries/indicators/compliance.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH judged AS (
  SELECT
    until,
    inst_id,
    SUM(met) AS met,
    SUM(breached) AS breached
  FROM judged_due
  GROUP BY
    until,
    inst_id
)
SELECT
  cut_offs.until,
  roster.inst_id,
  CAST(COALESCE(judged.met, 0) AS INT) AS S1_met,
  CAST(COALESCE(judged.breached, 0) AS INT) AS S1_breached,
  CASE
    WHEN judged.met + judged.breached > 0
    THEN CAST(judged.met AS DOUBLE) / (
      judged.met + judged.breached
    )
  END AS S1
FROM cut_offs
CROSS JOIN roster
LEFT JOIN judged
  ON judged.until = cut_offs.until AND judged.inst_id = roster.inst_id
ORDER BY
  until NULLS LAST,
  inst_id NULLS LAST
