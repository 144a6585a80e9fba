-- Generated from queries/subsidy/insurance_claims.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH subjects AS (
  SELECT
    CONCAT_WS('|', kind, ent_id, subject) AS grp,
    policy_id AS member,
    uncapped_fen AS weight,
    CASE kind
      WHEN 'first_set_equipment'
      THEN :first_set_cap_fen
      WHEN 'software_first_version'
      THEN :software_cap_fen
      ELSE :cost_loss_cap_fen
    END AS cap
  FROM insurance_uncapped
  WHERE
    reason IS NULL
), totals AS (
  SELECT
    grp,
    member,
    weight,
    cap,
    SUM(weight) OVER (PARTITION BY grp) AS total
  FROM subjects
)
SELECT
  grp,
  member,
  weight,
  cap AS target
FROM totals
WHERE
  total > cap
