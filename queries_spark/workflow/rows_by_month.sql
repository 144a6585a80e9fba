-- Generated from queries/workflow/rows_by_month.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH dated AS (
  SELECT
    inst_id,
    SUBSTRING(CAST(signed_on AS STRING), 1, 7) AS period
  FROM loans
  UNION ALL
  SELECT
    inst_id,
    SUBSTRING(CAST(registered_on AS STRING), 1, 7) AS period
  FROM applications
)
SELECT
  d.inst_id,
  d.period,
  COUNT(*) AS rows_total
FROM dated AS d
JOIN institutions AS i
  ON i.inst_id = d.inst_id
WHERE
  i.kind IN ('bank', 'leasing')
GROUP BY
  d.inst_id,
  d.period
ORDER BY
  d.inst_id NULLS LAST,
  d.period NULLS LAST
