-- Generated from queries/indicators/cooperating.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
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
