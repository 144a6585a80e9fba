-- Generated from queries/indicators/flags.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  roster.inst_id,
  CAST(SUM(CASE WHEN flags.kind = 'violation' THEN 1 ELSE 0 END) AS INT) AS violation,
  CAST(SUM(CASE WHEN flags.kind = 'risk_event' THEN 1 ELSE 0 END) AS INT) AS risk_event,
  CAST(SUM(CASE WHEN flags.kind = 'data_quality' THEN 1 ELSE 0 END) AS INT) AS data_quality
FROM roster
JOIN flags
  ON flags.inst_id = roster.inst_id
WHERE
  flags.year = :year
GROUP BY
  roster.inst_id
ORDER BY
  roster.inst_id NULLS LAST
