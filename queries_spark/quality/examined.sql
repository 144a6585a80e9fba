-- Generated from queries/quality/examined.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH loans_of_year AS (
  SELECT
    inst_id,
    COUNT(*) AS loans,
    COUNT(
      DISTINCT CAST(YEAR(signed_on) AS BIGINT) * 10 + CAST((
        CAST((
          CAST(MONTH(signed_on) AS BIGINT) + 2
        ) AS DECIMAL(38, 0)) - PMOD(CAST((
          CAST(MONTH(signed_on) AS BIGINT) + 2
        ) AS DECIMAL(38, 0)), 3)
      ) / 3 AS DECIMAL(38, 0))
    ) AS quarters,
    COUNT(app_id) AS linked
  FROM scoped_loans
  WHERE
    CAST(YEAR(signed_on) AS BIGINT) = :year
  GROUP BY
    inst_id
), apps AS (
  SELECT
    inst_id,
    COUNT(*) AS applications
  FROM scoped_applications
  WHERE
    CAST(YEAR(registered_on) AS BIGINT) = :year
  GROUP BY
    inst_id
), pays AS (
  SELECT
    l.inst_id,
    COUNT(*) AS payments
  FROM interest_payments AS p
  JOIN scoped_loans AS l
    ON l.loan_id = p.loan_id
  WHERE
    CAST(YEAR(p.paid_on) AS BIGINT) = :year
  GROUP BY
    l.inst_id
)
SELECT
  r.inst_id,
  r.name,
  r.peer_group,
  COALESCE(l.loans, 0) AS loans,
  COALESCE(l.quarters, 0) AS quarters,
  COALESCE(l.linked, 0) AS linked,
  COALESCE(a.applications, 0) AS applications,
  COALESCE(p.payments, 0) AS payments
FROM scoped_roster AS r
LEFT JOIN loans_of_year AS l
  ON l.inst_id = r.inst_id
LEFT JOIN apps AS a
  ON a.inst_id = r.inst_id
LEFT JOIN pays AS p
  ON p.inst_id = r.inst_id
ORDER BY
  r.inst_id NULLS LAST
