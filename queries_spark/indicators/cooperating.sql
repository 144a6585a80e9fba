-- Generated from queries/indicators/cooperating.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
/* The cooperating institutions of $year (揭榜 call or last year's published evaluation): */
/* the list this year's selection is compared with (R13 stays / joins / leaves). */
SELECT
  cooperation.inst_id,
  cooperation.source
FROM cooperation
JOIN institutions
  ON institutions.inst_id = cooperation.inst_id
WHERE
  cooperation.year = :year
ORDER BY
  cooperation.inst_id NULLS LAST
