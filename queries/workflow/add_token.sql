-- A new API token: only the SHA-256 of the token itself is stored.
insert into api_tokens (token_id, inst_id, token_hash, label, created_by, created_at)
values ($token_id, $inst_id, $token_hash, $label, $created_by, $created_at)
