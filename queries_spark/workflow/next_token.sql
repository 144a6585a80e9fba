-- Generated from queries/workflow/next_token.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  NEXTVAL('api_token_seq') AS number
