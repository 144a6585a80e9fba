-- Generated from queries/indicators/compliance.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH judged AS (
  SELECT
    inst_id,
    SUM(CASE WHEN status = 'met' THEN 1 ELSE 0 END) AS met,
    SUM(CASE WHEN status = 'breached' THEN 1 ELSE 0 END) AS breached
  FROM judged_due
  GROUP BY
    inst_id
)
SELECT
  roster.inst_id,
  CAST(COALESCE(judged.met, 0) AS INT) AS S1_met,
  CAST(COALESCE(judged.breached, 0) AS INT) AS S1_breached,
  CASE
    WHEN judged.met + judged.breached > 0
    THEN CAST(judged.met AS DOUBLE) / (
      judged.met + judged.breached
    )
  END AS S1
FROM roster
LEFT JOIN judged
  ON judged.inst_id = roster.inst_id
ORDER BY
  inst_id NULLS LAST
