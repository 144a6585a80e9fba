-- Generated from queries/indicators/commitments.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH targets AS (
  SELECT
    cut_offs.until,
    roster.inst_id,
    cut_offs.year_share * COALESCE(
      TRY_ELEMENT_AT(:tier_target_projects, CAST(NULLIF(ARRAY_POSITION(:tier_names, tier), 0) AS INT)),
      CASE
        WHEN peer_group = 'bank'
        THEN :bank_target_projects
        ELSE :leasing_target_projects
      END
    ) AS target_projects,
    cut_offs.year_share * COALESCE(
      TRY_ELEMENT_AT(:tier_target_amounts, CAST(NULLIF(ARRAY_POSITION(:tier_names, tier), 0) AS INT)),
      CASE
        WHEN peer_group = 'bank'
        THEN :bank_target_amount
        ELSE :leasing_target_amount
      END
    ) AS target_amount
  FROM cut_offs
  CROSS JOIN roster
), signed_days AS (
  SELECT
    inst_id,
    counted_on,
    SUM(amount) AS amount
  FROM eval_loans
  WHERE
    signed_year = :year
  GROUP BY
    inst_id,
    counted_on
), added_days AS (
  SELECT
    inst_id,
    added_on,
    COUNT(*) AS projects
  FROM (
    SELECT
      inst_id,
      project_id,
      MIN(counted_on) AS added_on
    FROM eval_loans
    WHERE
      signed_year = :year AND first_signing
    GROUP BY
      inst_id,
      project_id
  ) AS added
  GROUP BY
    inst_id,
    added_on
), signed AS (
  SELECT
    cut_offs.until,
    signed_days.inst_id,
    SUM(signed_days.amount) AS signed_amount
  FROM cut_offs
  JOIN signed_days
    ON signed_days.counted_on <= cut_offs.until
  GROUP BY
    cut_offs.until,
    signed_days.inst_id
), added AS (
  SELECT
    cut_offs.until,
    added_days.inst_id,
    CAST(SUM(added_days.projects) AS BIGINT) AS projects_added
  FROM cut_offs
  JOIN added_days
    ON added_days.added_on <= cut_offs.until
  GROUP BY
    cut_offs.until,
    added_days.inst_id
), achieved AS (
  SELECT
    targets.until,
    targets.inst_id,
    targets.target_projects,
    targets.target_amount,
    COALESCE(added.projects_added, 0) AS projects_added,
    COALESCE(signed.signed_amount, 0) AS signed_amount
  FROM targets
  LEFT JOIN signed
    ON signed.until = targets.until AND signed.inst_id = targets.inst_id
  LEFT JOIN added
    ON added.until = targets.until AND added.inst_id = targets.inst_id
)
SELECT
  until,
  inst_id,
  projects_added AS T1_projects,
  signed_amount AS T1_amount,
  CAST((
    LEAST(1.0, projects_added / NULLIF(target_projects, 0)) + LEAST(1.0, signed_amount / NULLIF(target_amount, 0))
  ) AS DOUBLE) / 2 AS T1
FROM achieved
ORDER BY
  until NULLS LAST,
  inst_id NULLS LAST
