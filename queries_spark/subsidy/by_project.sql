-- Generated from queries/subsidy/by_project.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
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
  FROM scoped_subsidy_items
  GROUP BY
    project_id,
    policy_id,
    kind,
    year,
    inst_id,
    ent_id,
    district_code,
    reason
), rows_per_group AS (
  SELECT
    p.*,
    r.label AS reason_label,
    COUNT(*) OVER (
      PARTITION BY p.project_id, p.policy_id, p.kind, p.year, p.inst_id, p.ent_id, p.district_code
    ) AS group_rows
  FROM per_reason AS p
  LEFT JOIN labels AS r
    ON r.code = p.reason
), grouped AS (
  SELECT
    project_id,
    policy_id,
    kind,
    year,
    inst_id,
    ent_id,
    district_code,
    items,
    refused,
    uncapped_fen,
    subsidy_fen,
    reason,
    reason_label AS reason_text
  FROM rows_per_group
  WHERE
    group_rows = 1
  UNION ALL
  SELECT
    project_id,
    policy_id,
    kind,
    year,
    inst_id,
    ent_id,
    district_code,
    SUM(items) AS items,
    SUM(refused) AS refused,
    SUM(uncapped_fen) AS uncapped_fen,
    SUM(subsidy_fen) AS subsidy_fen,
    LISTAGG(reason, ';') WITHIN GROUP (ORDER BY
      reason NULLS LAST) AS reason,
    LISTAGG(reason_label, '；') WITHIN GROUP (ORDER BY
      reason_label NULLS LAST) AS reason_text
  FROM rows_per_group
  WHERE
    group_rows > 1
  GROUP BY
    project_id,
    policy_id,
    kind,
    year,
    inst_id,
    ent_id,
    district_code
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
  g.reason,
  g.reason_text
FROM grouped AS g
LEFT JOIN labels AS k
  ON k.code = g.kind
ORDER BY
  g.project_id NULLS LAST,
  g.kind NULLS LAST,
  g.inst_id NULLS LAST,
  g.policy_id NULLS LAST
