-- Generated from queries/sla/simplified_review.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH approvals AS (
  SELECT
    inst_id,
    simplified_review,
    review_eligible AS eligible
  FROM scoped_approvals
  WHERE
    decided_on BETWEEN :period_start AND :period_end
), per_institution AS (
  SELECT
    inst_id,
    COUNT(*) AS approvals,
    COUNT(CASE WHEN eligible THEN 1 END) AS eligible_approvals,
    COUNT(CASE WHEN eligible AND simplified_review THEN 1 END) AS simplified,
    COUNT(CASE WHEN NOT eligible AND simplified_review THEN 1 END) AS simplified_ineligible
  FROM approvals
  GROUP BY
    inst_id
)
SELECT
  inst_id,
  approvals,
  eligible_approvals,
  simplified,
  simplified_ineligible,
  CAST(simplified AS DOUBLE) / NULLIF(eligible_approvals, 0) AS simplified_share
FROM per_institution
ORDER BY
  inst_id NULLS LAST
