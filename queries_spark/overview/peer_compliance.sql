-- Generated from queries/overview/peer_compliance.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH peers AS (
  SELECT
    inst_id
  FROM roster
  WHERE
    peer_group = (
      SELECT
        peer_group
      FROM roster
      WHERE
        inst_id = :scope_inst
    )
), judged AS (
  SELECT
    sla_stages.inst_id,
    CAST(CAST(YEAR(sla_stages.deadline) AS BIGINT) AS STRING) || '-' || LPAD(CAST(CAST(MONTH(sla_stages.deadline) AS BIGINT) AS STRING), 2, '0') AS month,
    COUNT(CASE WHEN sla_stages.status = 'met' THEN 1 END) AS met,
    COUNT(*) AS judged
  FROM sla_stages
  JOIN peers
    ON peers.inst_id = sla_stages.inst_id
  WHERE
    sla_stages.status IN ('met', 'breached')
    AND sla_stages.deadline BETWEEN :period_start AND :period_end
  GROUP BY
    sla_stages.inst_id,
    month
), ranked AS (
  SELECT
    month,
    CAST(met AS DOUBLE) / NULLIF(judged, 0) AS rate,
    CAST(ROW_NUMBER() OVER (PARTITION BY month ORDER BY CAST(met AS DOUBLE) / NULLIF(judged, 0) NULLS LAST) AS BIGINT) AS position,
    COUNT(*) OVER (PARTITION BY month) AS institutions
  FROM judged
), middle AS (
  SELECT
    month,
    rate
  FROM ranked
  WHERE
    institutions >= :min_peers
    AND 2 * position BETWEEN institutions AND institutions + 2
)
SELECT
  month,
  AVG(rate) AS median_rate
FROM middle
GROUP BY
  month
ORDER BY
  month NULLS LAST
