-- Generated from queries/workflow/tokens.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  token_id,
  inst_id,
  label,
  created_by,
  created_at,
  revoked_at,
  last_used_at
FROM api_tokens
ORDER BY
  created_at DESC,
  token_id DESC
