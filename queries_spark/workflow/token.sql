-- Generated from queries/workflow/token.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  token_id,
  inst_id,
  label,
  created_by,
  created_at,
  revoked_at,
  last_used_at
FROM api_tokens
WHERE
  token_id = :token_id
