-- Generated from queries/quality/near_duplicates.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH named AS (
  SELECT
    ent_id,
    district_code,
    REGEXP_REPLACE(REGEXP_REPLACE(name, '[\\s（）()·]', ''), '(股份)?有限(责任)?公司$', '') AS stem
  FROM enterprises
), twins AS (
  SELECT
    a.ent_id,
    b.ent_id AS twin_id,
    a.district_code
  FROM named AS a
  JOIN named AS b
    ON a.stem = b.stem AND a.district_code = b.district_code AND a.ent_id <> b.ent_id
), lent AS (
  SELECT DISTINCT
    inst_id,
    ent_id
  FROM scoped_loans
  WHERE
    CAST(YEAR(signed_on) AS BIGINT) = :year
), enterprise_findings AS (
  SELECT
    x.inst_id,
    t.district_code,
    'enterprises' AS table_name,
    t.ent_id AS row_key,
    '与企业 ' || t.twin_id || ' 名称实质相同（同一区县），疑似重复登记' AS detail
  FROM twins AS t
  JOIN lent AS x
    ON x.ent_id = t.ent_id
  JOIN lent AS y
    ON y.ent_id = t.twin_id AND y.inst_id = x.inst_id
), loan_findings AS (
  SELECT
    a.inst_id,
    a.ent_district_code AS district_code,
    'loans' AS table_name,
    b.loan_id AS row_key,
    '与贷款 ' || a.loan_id || ' 的机构、企业、金额、签约日完全相同，疑似重复报送' AS detail
  FROM scoped_loans AS a
  JOIN scoped_loans AS b
    ON a.inst_id = b.inst_id
    AND a.ent_id = b.ent_id
    AND a.amount = b.amount
    AND a.signed_on = b.signed_on
    AND a.loan_id < b.loan_id
  WHERE
    CAST(YEAR(a.signed_on) AS BIGINT) = :year
)
SELECT
  *
FROM enterprise_findings
UNION ALL
SELECT
  *
FROM loan_findings
