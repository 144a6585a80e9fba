-- Generated from queries/budget/rows.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  COALESCE(v.project_id, b.project_id) AS project_id,
  COALESCE(v.kind, b.kind) AS kind,
  COALESCE(v.ent_id, b.ent_id) AS ent_id,
  COALESCE(v.district_code, b.district_code) AS district_code,
  COALESCE(v.inst_ids, b.inst_ids) AS inst_ids,
  COALESCE(b.fen, 0) AS baseline_fen,
  COALESCE(v.fen, 0) AS variant_fen
FROM budget_variant AS v
FULL OUTER JOIN budget_baseline AS b
  ON b.project_id = v.project_id AND b.kind = v.kind
