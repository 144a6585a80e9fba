-- Generated from queries/subsidy/relending.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH marked AS (
  SELECT
    l.loan_id,
    l.inst_id,
    l.ent_id,
    l.project_id,
    l.amount,
    l.credit_line,
    l.signed_on,
    COALESCE(i.local_legal_person, FALSE) AS local_lender,
    COALESCE(e.agricultural, FALSE) AS agricultural,
    e.size,
    e.ownership,
    l.district_code
  FROM scoped_project_loans AS l
  LEFT JOIN institutions AS i
    ON i.inst_id = l.inst_id
  LEFT JOIN enterprises AS e
    ON e.ent_id = l.ent_id
  WHERE
    l.relending = 'agri_small'
), checked AS (
  SELECT
    *,
    CASE WHEN NOT local_lender THEN 'lender_not_local' END AS lender_problem,
    CASE
      WHEN agricultural OR size IN ('small', 'micro')
      THEN NULL
      WHEN ownership = 'private' AND credit_line IS NULL
      THEN 'credit_line_missing'
      WHEN ownership = 'private' AND credit_line < :agri_small_credit_max
      THEN NULL
      ELSE 'borrower_not_eligible'
    END AS borrower_problem
  FROM marked
)
SELECT
  c.loan_id,
  c.inst_id,
  c.ent_id,
  c.project_id,
  c.district_code,
  c.signed_on,
  c.amount,
  c.credit_line,
  c.local_lender,
  c.agricultural,
  c.size,
  c.ownership,
  CONCAT_WS(';', c.lender_problem, c.borrower_problem) AS reason,
  CONCAT_WS('；', lender.label, borrower.label) AS reason_text
FROM checked AS c
LEFT JOIN labels AS lender
  ON lender.code = c.lender_problem
LEFT JOIN labels AS borrower
  ON borrower.code = c.borrower_problem
WHERE
  NOT c.lender_problem IS NULL OR NOT c.borrower_problem IS NULL
ORDER BY
  c.loan_id NULLS LAST
