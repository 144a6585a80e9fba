-- Generated from queries/staging/judged_events.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH events AS (
  SELECT
    'payment' AS source,
    payment_id AS event_id,
    loan_id,
    paid_on,
    interest_paid AS paid
  FROM interest_payments
  WHERE
    CAST(YEAR(paid_on) AS BIGINT) = :year
  UNION ALL
  SELECT
    'guarantee' AS source,
    guarantee_id AS event_id,
    loan_id,
    paid_on,
    fee_paid AS paid
  FROM guarantees
  WHERE
    CAST(YEAR(paid_on) AS BIGINT) <= :year
), facts AS (
  SELECT
    e.source,
    e.event_id,
    e.loan_id,
    e.paid_on,
    e.paid,
    NOT l.loan_id IS NULL AS loan_known,
    l.inst_id,
    l.ent_id,
    l.project_id,
    l.kind AS loan_kind,
    l.amount,
    l.land_amount,
    l.rate,
    COALESCE(i.kind, '') AS lender_kind,
    NOT p.project_id IS NULL AS project_known,
    p.ent_id AS project_ent_id,
    p.filed_on,
    p.pooled_on,
    p.total_investment - p.land_cost AS investment_ex_land,
    COALESCE(en.manufacturing, FALSE) AS manufacturing,
    COALESCE(p.district_code, en.district_code) AS district_code
  FROM events AS e
  LEFT JOIN loans AS l
    ON l.loan_id = e.loan_id
  LEFT JOIN institutions AS i
    ON i.inst_id = l.inst_id
  LEFT JOIN projects AS p
    ON p.project_id = l.project_id
  LEFT JOIN enterprises AS en
    ON en.ent_id = l.ent_id
)
SELECT
  source,
  event_id,
  loan_id,
  paid_on,
  paid,
  inst_id,
  ent_id,
  project_id,
  district_code,
  loan_kind,
  amount,
  land_amount,
  rate,
  CASE
    WHEN NOT loan_known
    THEN 'unknown_loan'
    WHEN NOT project_known
    THEN 'unknown_project'
    WHEN project_ent_id <> ent_id
    THEN 'project_of_other_enterprise'
    WHEN loan_kind = 'loan' AND lender_kind <> 'bank'
    THEN 'lender_not_bank'
    WHEN loan_kind <> 'loan' AND lender_kind <> 'leasing'
    THEN 'lender_not_leasing'
    WHEN paid_on < :policy_start OR paid_on > :policy_end
    THEN 'outside_policy_period'
    WHEN NOT manufacturing
    THEN 'not_manufacturing'
    WHEN filed_on IS NULL
    THEN 'not_filed'
    WHEN pooled_on IS NULL OR pooled_on > paid_on
    THEN 'not_pooled'
    WHEN investment_ex_land < :min_investment
    THEN 'below_threshold'
    WHEN land_amount >= amount
    THEN 'land_portion'
  END AS reason
FROM facts
