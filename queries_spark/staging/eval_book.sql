-- Generated from queries/staging/eval_book.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
-- staging: book
WITH technical_loans AS (
  SELECT
    loans.loan_id,
    loans.inst_id,
    loans.ent_id,
    loans.project_id,
    loans.product_id,
    loans.kind,
    loans.amount,
    loans.rate,
    loans.lpr,
    loans.relending,
    loans.credit_line,
    loans.signed_on,
    loans.disbursed_on,
    projects.filed_on,
    projects.pooled_on,
    projects.district_code AS project_district_code,
    enterprises.district_code AS ent_district_code,
    enterprises.size,
    enterprises.ownership,
    enterprises.agricultural,
    CONCAT(';', COALESCE(REPLACE(COALESCE(enterprises.tags, ''), ' ', ''), ''), ';') AS tag_list
  FROM loans
  JOIN projects
    ON projects.project_id = loans.project_id
  JOIN enterprises
    ON enterprises.ent_id = loans.ent_id
  WHERE
    enterprises.manufacturing
    AND projects.filed_on <= MAKE_DATE(:year, 12, 31)
    AND loans.signed_on <= MAKE_DATE(:year, 12, 31)
), lenders AS (
  SELECT
    inst_id,
    local_legal_person
  FROM institutions
), classified AS (
  SELECT
    technical_loans.*,
    CASE
      WHEN relending = 'tech'
      THEN TRUE
      WHEN relending = 'agri_small'
      THEN lenders.local_legal_person
      AND (
        agricultural
        OR size IN ('small', 'micro')
        OR (
          ownership = 'private' AND credit_line < 30000000
        )
      )
      ELSE FALSE
    END AS relending_counted,
    size IN ('small', 'micro') OR ownership = 'private' AS inclusive_borrower,
    (
      tag_list LIKE '%;unicorn;%'
      OR tag_list LIKE '%;potential_unicorn;%'
      OR tag_list LIKE '%;gazelle;%'
      OR tag_list LIKE '%;specialized;%'
      OR tag_list LIKE '%;little_giant;%'
    ) AS key_borrower
  FROM technical_loans
  JOIN lenders
    ON lenders.inst_id = technical_loans.inst_id
), dated AS (
  SELECT
    classified.*,
    CAST(EXTRACT(YEAR FROM signed_on) AS BIGINT) AS signed_year,
    signed_on = first_signed.first_signed_on AS first_signing
  FROM classified
  JOIN (
    SELECT
      inst_id,
      project_id,
      MIN(signed_on) AS first_signed_on
    FROM classified
    GROUP BY
      inst_id,
      project_id
  ) AS first_signed
    USING (inst_id, project_id)
)
SELECT
  dated.loan_id,
  dated.inst_id,
  dated.ent_id,
  dated.project_id,
  dated.ent_district_code,
  dated.kind,
  dated.amount,
  dated.rate,
  dated.lpr,
  dated.lpr - dated.rate AS discount,
  dated.relending_counted,
  dated.inclusive_borrower,
  dated.key_borrower,
  COALESCE(products.innovative, FALSE) AS innovative_product,
  dated.signed_on,
  dated.signed_year,
  dated.disbursed_on,
  dated.filed_on,
  dated.pooled_on,
  dated.project_district_code,
  dated.first_signing
FROM dated
LEFT JOIN products
  ON products.product_id = dated.product_id
