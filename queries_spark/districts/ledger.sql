-- Generated from queries/districts/ledger.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH pool AS (
  SELECT
    scoped_projects.project_id,
    scoped_projects.district_code,
    scoped_projects.ent_id,
    scoped_projects.filing_no,
    scoped_projects.filed_on,
    scoped_projects.pooled_on,
    scoped_projects.total_investment,
    scoped_projects.category
  FROM scoped_projects
  WHERE
    scoped_projects.pooled_on <= :as_of
    AND (
      :district IS NULL OR scoped_projects.district_code = :district
    )
), financing AS (
  SELECT
    contracts.project_id,
    MIN(contracts.signed_on) AS first_signed_on,
    COUNT(*) AS contracts,
    SUM(contracts.amount) AS signed_amount,
    LISTAGG(DISTINCT institutions.name, '、') WITHIN GROUP (ORDER BY
      institutions.name NULLS LAST) AS financed_by
  FROM scoped_project_loans AS contracts
  JOIN pool
    ON pool.project_id = contracts.project_id
  JOIN institutions
    ON institutions.inst_id = contracts.inst_id
  WHERE
    contracts.signed_on <= :as_of
  GROUP BY
    contracts.project_id
)
SELECT
  pool.district_code,
  districts.name AS district_name,
  pool.project_id,
  pool.ent_id,
  enterprises.name AS ent_name,
  pool.filing_no,
  pool.pooled_on,
  pool.total_investment,
  pool.category,
  NOT financing.project_id IS NULL AS financed,
  financing.first_signed_on,
  COALESCE(financing.contracts, 0) AS contracts,
  COALESCE(financing.signed_amount, 0) AS signed_amount,
  financing.financed_by
FROM pool
LEFT JOIN financing
  ON financing.project_id = pool.project_id
LEFT JOIN enterprises
  ON enterprises.ent_id = pool.ent_id
LEFT JOIN districts
  ON districts.district_code = pool.district_code
ORDER BY
  pool.district_code NULLS LAST,
  pool.pooled_on NULLS LAST,
  pool.project_id NULLS LAST
