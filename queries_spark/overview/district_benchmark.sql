-- Generated from queries/overview/district_benchmark.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH measured AS (
  SELECT
    indicator,
    raw,
    contribution
  FROM run_indicators
  WHERE
    run_id = :run_id AND subject = 'district' AND NOT contribution IS NULL
), ranked AS (
  SELECT
    indicator,
    raw,
    contribution,
    CAST(ROW_NUMBER() OVER (PARTITION BY indicator ORDER BY raw NULLS LAST) AS BIGINT) AS raw_position,
    CAST(ROW_NUMBER() OVER (PARTITION BY indicator ORDER BY contribution NULLS LAST) AS BIGINT) AS contribution_position,
    COUNT(*) OVER (PARTITION BY indicator) AS units
  FROM measured
)
SELECT
  indicator,
  MAX(units) AS units,
  AVG(CASE WHEN 2 * raw_position BETWEEN units AND units + 2 THEN raw END) AS median_raw,
  AVG(
    CASE
      WHEN 2 * contribution_position BETWEEN units AND units + 2
      THEN contribution
    END
  ) AS median_contribution
FROM ranked
GROUP BY
  indicator
ORDER BY
  indicator NULLS LAST
