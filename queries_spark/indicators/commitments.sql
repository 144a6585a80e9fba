-- Generated from queries/indicators/commitments.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH targets AS (
  SELECT
    inst_id,
    :year_share * COALESCE(
      TRY_ELEMENT_AT(:tier_target_projects, CAST(NULLIF(ARRAY_POSITION(:tier_names, tier), 0) AS INT)),
      CASE
        WHEN peer_group = 'bank'
        THEN :bank_target_projects
        ELSE :leasing_target_projects
      END
    ) AS target_projects,
    :year_share * COALESCE(
      TRY_ELEMENT_AT(:tier_target_amounts, CAST(NULLIF(ARRAY_POSITION(:tier_names, tier), 0) AS INT)),
      CASE
        WHEN peer_group = 'bank'
        THEN :bank_target_amount
        ELSE :leasing_target_amount
      END
    ) AS target_amount
  FROM roster
), signed AS (
  SELECT
    inst_id,
    COUNT(DISTINCT CASE WHEN first_signing THEN project_id END) AS projects_added,
    SUM(amount) AS signed_amount
  FROM eval_loans
  WHERE
    signed_year = :year
  GROUP BY
    inst_id
), achieved AS (
  SELECT
    targets.inst_id,
    targets.target_projects,
    targets.target_amount,
    COALESCE(signed.projects_added, 0) AS projects_added,
    COALESCE(signed.signed_amount, 0) AS signed_amount
  FROM targets
  LEFT JOIN signed
    ON signed.inst_id = targets.inst_id
)
SELECT
  inst_id,
  projects_added AS T1_projects,
  signed_amount AS T1_amount,
  CAST((
    LEAST(1.0, projects_added / NULLIF(target_projects, 0)) + LEAST(1.0, signed_amount / NULLIF(target_amount, 0))
  ) AS DOUBLE) / 2 AS T1
FROM achieved
ORDER BY
  inst_id NULLS LAST
