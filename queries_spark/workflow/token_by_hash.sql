-- Generated from queries/workflow/token_by_hash.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  token_id,
  inst_id,
  label
FROM api_tokens
WHERE
  token_hash = :token_hash AND revoked_at IS NULL
