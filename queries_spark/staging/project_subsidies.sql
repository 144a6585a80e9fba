-- Generated from queries/staging/project_subsidies.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH per_reason AS (
  SELECT
    project_id,
    policy_id,
    kind,
    year,
    inst_id,
    ent_id,
    district_code,
    reason,
    COUNT(*) AS items,
    COUNT(reason) AS refused,
    SUM(uncapped_fen) AS uncapped_fen,
    SUM(subsidy_fen) AS subsidy_fen
  FROM subsidy_items
  GROUP BY
    project_id,
    policy_id,
    kind,
    year,
    inst_id,
    ent_id,
    district_code,
    reason
), grouped AS (
  SELECT
    p.project_id,
    p.policy_id,
    p.kind,
    p.year,
    p.inst_id,
    p.ent_id,
    p.district_code,
    SUM(p.items) AS items,
    SUM(p.refused) AS refused,
    SUM(p.uncapped_fen) AS uncapped_fen,
    SUM(p.subsidy_fen) AS subsidy_fen,
    LISTAGG(p.reason, CHR(  31)) AS reasons,
    LISTAGG(r.label, CHR(  31)) AS labels
  FROM per_reason AS p
  LEFT JOIN labels AS r
    ON r.code = p.reason
  GROUP BY
    p.project_id,
    p.policy_id,
    p.kind,
    p.year,
    p.inst_id,
    p.ent_id,
    p.district_code
)
SELECT
  g.project_id,
  g.policy_id,
  g.kind,
  k.label AS kind_text,
  g.year,
  g.inst_id,
  g.ent_id,
  g.district_code,
  CAST(g.items AS BIGINT) AS items,
  CAST(g.refused AS BIGINT) AS refused,
  CAST(CAST(g.uncapped_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS uncapped,
  CAST(CAST(g.subsidy_fen AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS subsidy,
  g.subsidy_fen < g.uncapped_fen AS capped,
  CASE
    WHEN LOCATE(CHR(  31), g.reasons) > 0
    THEN ARRAY_JOIN(ARRAY_SORT(SPLIT(g.reasons, CONCAT('\\Q', CHR(  31), '\\E'))), ';')
    ELSE g.reasons
  END AS reason,
  CASE
    WHEN LOCATE(CHR(  31), g.labels) > 0
    THEN ARRAY_JOIN(ARRAY_SORT(SPLIT(g.labels, CONCAT('\\Q', CHR(  31), '\\E'))), '；')
    ELSE g.labels
  END AS reason_text
FROM grouped AS g
LEFT JOIN labels AS k
  ON k.code = g.kind
