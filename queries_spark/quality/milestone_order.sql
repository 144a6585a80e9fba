-- Generated from queries/quality/milestone_order.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH pairs AS (
  SELECT
    l.loan_id,
    l.inst_id,
    l.ent_district_code AS district_code,
    l.signed_on,
    l.disbursed_on,
    a.app_id,
    a.connected_on,
    a.decided_on,
    a.decision
  FROM scoped_loans AS l
  JOIN applications AS a
    ON a.app_id = l.app_id
  WHERE
    CAST(YEAR(l.signed_on) AS BIGINT) = :year
)
SELECT
  inst_id,
  district_code,
  'loans' AS table_name,
  loan_id AS row_key,
  CASE
    WHEN NOT disbursed_on IS NULL AND decided_on > disbursed_on
    THEN '申请 ' || app_id || ' 的审批日 ' || DATE_FORMAT(decided_on, 'yyyy-MM-dd') || ' 晚于放款日 ' || DATE_FORMAT(disbursed_on, 'yyyy-MM-dd')
    WHEN NOT disbursed_on IS NULL AND connected_on > disbursed_on
    THEN '申请 ' || app_id || ' 的对接日 ' || DATE_FORMAT(connected_on, 'yyyy-MM-dd') || ' 晚于放款日 ' || DATE_FORMAT(disbursed_on, 'yyyy-MM-dd')
    WHEN decision = 'approved' AND signed_on < decided_on
    THEN '签约日 ' || DATE_FORMAT(signed_on, 'yyyy-MM-dd') || ' 早于申请 ' || app_id || ' 的审批日 ' || DATE_FORMAT(decided_on, 'yyyy-MM-dd')
    ELSE '申请 ' || app_id || ' 未获批准却已签约'
  END AS detail
FROM pairs
WHERE
  (
    NOT disbursed_on IS NULL
    AND (
      decided_on > disbursed_on OR connected_on > disbursed_on
    )
  )
  OR (
    decision = 'approved' AND signed_on < decided_on
  )
  OR decision IN ('rejected', 'withdrawn')
