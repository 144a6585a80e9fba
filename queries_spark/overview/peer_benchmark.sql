-- Generated from queries/overview/peer_benchmark.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH me AS (
  SELECT
    peer_group
  FROM run_institutions
  WHERE
    run_id = :run_id AND inst_id = :scope_inst
), peers AS (
  SELECT
    run_institutions.inst_id,
    run_institutions.score,
    run_institutions.selected
  FROM run_institutions
  JOIN me
    ON me.peer_group = run_institutions.peer_group
  WHERE
    run_institutions.run_id = :run_id AND run_institutions.status = 'scored'
), measured AS (
  SELECT
    peers.selected,
    run_indicators.indicator AS measure,
    run_indicators.contribution AS value
  FROM run_indicators
  JOIN peers
    ON peers.inst_id = run_indicators.subject_id
  WHERE
    run_indicators.run_id = :run_id
    AND run_indicators.subject = 'institution'
    AND NOT run_indicators.contribution IS NULL
  UNION ALL
  SELECT
    selected,
    'score',
    score
  FROM peers
), ranked AS (
  SELECT
    measure,
    value,
    selected,
    CAST(ROW_NUMBER() OVER (PARTITION BY measure ORDER BY value NULLS LAST) AS BIGINT) AS position,
    COUNT(*) OVER (PARTITION BY measure) AS institutions
  FROM measured
), summary AS (
  SELECT
    measure,
    MAX(institutions) AS institutions,
    AVG(CASE WHEN 2 * position BETWEEN institutions AND institutions + 2 THEN value END) AS median,
    COUNT(CASE WHEN selected THEN 1 END) AS selected_count,
    AVG(CASE WHEN selected THEN value END) AS selected_mean,
    MIN(CASE WHEN selected THEN value END) AS selected_min
  FROM ranked
  GROUP BY
    measure
)
SELECT
  measure,
  institutions,
  median,
  CASE WHEN selected_count >= :min_peers THEN selected_mean END AS selected_mean,
  CASE WHEN selected_count >= :min_peers THEN selected_min END AS selected_min
FROM summary
WHERE
  institutions >= :min_peers
ORDER BY
  measure NULLS LAST
