-- Generated from queries/districts/ledger.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH pool AS (
  SELECT
    projects.project_id,
    projects.district_code,
    projects.ent_id,
    projects.filing_no,
    projects.filed_on,
    projects.pooled_on,
    projects.total_investment,
    projects.category
  FROM projects
  WHERE
    projects.pooled_on <= :as_of
    AND (
      :district IS NULL OR projects.district_code = :district
    )
    AND (
      :scope_district IS NULL OR projects.district_code = :scope_district
    )
), financing AS (
  SELECT
    loans.project_id,
    MIN(loans.signed_on) AS first_signed_on,
    COUNT(*) AS contracts,
    SUM(loans.amount) AS signed_amount,
    LISTAGG(DISTINCT institutions.name, '、') WITHIN GROUP (ORDER BY
      institutions.name NULLS LAST) AS financed_by
  FROM loans
  JOIN pool
    ON pool.project_id = loans.project_id
  JOIN institutions
    ON institutions.inst_id = loans.inst_id
  WHERE
    loans.signed_on <= :as_of
    AND (
      :scope_inst IS NULL OR loans.inst_id = :scope_inst
    )
  GROUP BY
    loans.project_id
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
WHERE
  :scope_inst IS NULL OR NOT financing.project_id IS NULL
ORDER BY
  pool.district_code NULLS LAST,
  pool.pooled_on NULLS LAST,
  pool.project_id NULLS LAST
