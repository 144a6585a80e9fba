-- Generated from queries/subsidy/insurance_uncapped.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH policies AS (
  SELECT
    ip.policy_id,
    ip.ent_id,
    ip.project_id,
    ip.insurer_id AS inst_id,
    ip.kind,
    ip.product_name,
    ip.insured_amount,
    ip.premium,
    ip.policy_year AS year,
    NOT p.project_id IS NULL AS project_known,
    p.filed_on,
    COALESCE(p.district_code, en.district_code) AS district_code
  FROM insurance_policies AS ip
  LEFT JOIN projects AS p
    ON p.project_id = ip.project_id
  LEFT JOIN enterprises AS en
    ON en.ent_id = ip.ent_id
  WHERE
    ip.policy_year = :year
), reasoned AS (
  SELECT
    *,
    CASE
      WHEN year < CAST(YEAR(:policy_start) AS BIGINT)
      OR year > CAST(YEAR(:policy_end) AS BIGINT)
      THEN 'outside_policy_period'
      WHEN NOT project_id IS NULL AND NOT project_known
      THEN 'unknown_project'
      WHEN kind = 'project_cost_loss' AND project_id IS NULL
      THEN 'no_project'
      WHEN kind = 'project_cost_loss' AND filed_on IS NULL
      THEN 'not_filed'
      WHEN kind = 'first_set_equipment' AND insured_amount IS NULL
      THEN 'no_insured_amount'
    END AS reason,
    CAST(premium * 100 AS DECIMAL(38, 0)) AS premium_fen,
    CAST(insured_amount * 100 AS DECIMAL(38, 0)) AS insured_fen
  FROM policies
), bases AS (
  SELECT
    *,
    kind = 'first_set_equipment'
    AND premium_fen * :first_set_rate_den > insured_fen * :first_set_rate_num AS rate_binds
  FROM reasoned
), fractions AS (
  SELECT
    *,
    CASE WHEN rate_binds THEN insured_fen * :first_set_rate_num ELSE premium_fen END AS base_num,
    CASE
      WHEN rate_binds
      THEN CAST(:first_set_rate_den AS DECIMAL(38, 0))
      ELSE CAST(1 AS DECIMAL(38, 0))
    END AS base_den
  FROM bases
)
SELECT
  policy_id,
  ent_id,
  project_id,
  inst_id,
  district_code,
  kind,
  product_name,
  year,
  insured_amount,
  premium,
  reason,
  CASE
    WHEN kind = 'project_cost_loss'
    THEN COALESCE(project_id, policy_id)
    ELSE COALESCE(product_name, policy_id)
  END AS subject,
  CAST((
    CAST((
      2 * base_num + base_den
    ) AS DECIMAL(38, 0)) - PMOD(CAST((
      2 * base_num + base_den
    ) AS DECIMAL(38, 0)), NULLIF(2 * base_den, 0))
  ) / NULLIF(2 * base_den, 0) AS DECIMAL(38, 0)) AS eligible_premium_fen,
  CASE
    WHEN reason IS NULL
    THEN CAST((
      CAST((
        2 * base_num * :insurance_share_num + base_den * :insurance_share_den
      ) AS DECIMAL(38, 0)) - PMOD(
        CAST((
          2 * base_num * :insurance_share_num + base_den * :insurance_share_den
        ) AS DECIMAL(38, 0)),
        NULLIF(2 * base_den * :insurance_share_den, 0)
      )
    ) / NULLIF(2 * base_den * :insurance_share_den, 0) AS DECIMAL(38, 0))
    ELSE CAST(0 AS DECIMAL(38, 0))
  END AS uncapped_fen
FROM fractions
