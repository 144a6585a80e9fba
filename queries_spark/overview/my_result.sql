-- Generated from queries/overview/my_result.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  inst_id,
  name,
  peer_group,
  tier,
  eligible,
  status,
  status_label,
  reason,
  score,
  composite,
  deduction,
  rank,
  grade,
  interview,
  interview_reason,
  selected,
  selection_reason,
  change,
  change_label,
  bonus,
  median_rank,
  rank_p05,
  rank_p95,
  selection_share
FROM scoped_run_institutions
WHERE
  run_id = :run_id
ORDER BY
  peer_group NULLS LAST,
  rank NULLS LAST,
  inst_id NULLS LAST
