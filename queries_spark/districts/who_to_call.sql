-- Generated from queries/districts/who_to_call.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH recent AS (
  SELECT
    COALESCE(projects.category, 'other') AS category,
    contracts.inst_id,
    contracts.amount
  FROM scoped_project_loans AS contracts
  JOIN projects
    ON projects.project_id = contracts.project_id
  WHERE
    contracts.signed_on > :since
    AND contracts.signed_on <= :as_of
    AND contracts.district_code = :district
), per_institution AS (
  SELECT
    category,
    inst_id,
    COUNT(*) AS loans,
    SUM(amount) AS amount
  FROM recent
  GROUP BY
    category,
    inst_id
), ranked AS (
  SELECT
    per_institution.*,
    CAST(ROW_NUMBER() OVER (PARTITION BY category ORDER BY loans DESC, amount DESC, inst_id NULLS LAST) AS BIGINT) AS place
  FROM per_institution
)
SELECT
  ranked.category,
  ranked.inst_id,
  roster.name,
  ranked.loans,
  ranked.amount,
  ranked.place
FROM ranked
JOIN roster
  ON roster.inst_id = ranked.inst_id
WHERE
  ranked.place <= :top
ORDER BY
  ranked.category NULLS LAST,
  ranked.place NULLS LAST
