-- Generated from queries/quality/rate_vs_lpr.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH published AS (
  SELECT
    effective_from,
    one_year,
    five_year,
    LEAD(effective_from) OVER (ORDER BY effective_from NULLS LAST) AS next_from
  FROM lpr_table
), judged AS (
  SELECT
    l.loan_id,
    l.inst_id,
    l.ent_district_code AS district_code,
    l.kind,
    l.rate,
    l.lpr,
    l.signed_on,
    CASE
      WHEN l.maturity_on > l.signed_on + INTERVAL '5' YEAR
      THEN p.five_year
      ELSE p.one_year
    END AS reference_lpr
  FROM scoped_loans AS l
  LEFT JOIN published AS p
    ON l.signed_on >= p.effective_from
    AND (
      p.next_from IS NULL OR l.signed_on < p.next_from
    )
  WHERE
    CAST(YEAR(l.signed_on) AS BIGINT) = :year
)
SELECT
  inst_id,
  district_code,
  'loans' AS table_name,
  loan_id AS row_key,
  CASE
    WHEN NOT reference_lpr IS NULL AND lpr <> reference_lpr
    THEN '报送的LPR ' || CAST(ROUND(lpr * 100, 2) AS STRING) || '% 与签约日同期限LPR ' || CAST(ROUND(reference_lpr * 100, 2) AS STRING) || '% 不符'
    WHEN kind = 'loan' AND rate < lpr - :bank_below
    THEN '贷款利率 ' || CAST(ROUND(rate * 100, 2) AS STRING) || '% 低于LPR ' || CAST(CAST(ROUND((
      lpr - rate
    ) * 10000) AS INT) AS STRING) || ' 个基点'
    WHEN kind = 'loan' AND rate > lpr + :bank_above
    THEN '贷款利率 ' || CAST(ROUND(rate * 100, 2) AS STRING) || '% 高于LPR ' || CAST(CAST(ROUND((
      rate - lpr
    ) * 10000) AS INT) AS STRING) || ' 个基点'
    WHEN kind <> 'loan' AND rate < lpr
    THEN '租赁利率 ' || CAST(ROUND(rate * 100, 2) AS STRING) || '% 低于LPR'
    ELSE '租赁利率 ' || CAST(ROUND(rate * 100, 2) AS STRING) || '% 高于LPR ' || CAST(CAST(ROUND((
      rate - lpr
    ) * 10000) AS INT) AS STRING) || ' 个基点'
  END AS detail
FROM judged
WHERE
  (
    NOT reference_lpr IS NULL AND lpr <> reference_lpr
  )
  OR (
    kind = 'loan' AND (
      rate < lpr - :bank_below OR rate > lpr + :bank_above
    )
  )
  OR (
    kind <> 'loan' AND (
      rate < lpr OR rate > lpr + :lease_above
    )
  )
