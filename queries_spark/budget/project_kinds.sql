-- Generated from queries/budget/project_kinds.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH per_institution AS (
  SELECT
    project_id,
    kind,
    inst_id,
    MIN(ent_id) AS ent_id,
    MIN(district_code) AS district_code,
    SUM(subsidy_fen) AS fen
  FROM subsidy_items
  GROUP BY
    project_id,
    kind,
    inst_id
)
SELECT
  project_id,
  kind,
  MIN(ent_id) AS ent_id,
  MIN(district_code) AS district_code,
  COALESCE(LISTAGG(inst_id, ';') WITHIN GROUP (ORDER BY
    inst_id NULLS LAST), '') AS inst_ids,
  CAST(SUM(fen) AS BIGINT) AS fen
FROM per_institution
GROUP BY
  project_id,
  kind
