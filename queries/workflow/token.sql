-- One API token without its hash.
select token_id, inst_id, label, created_by, created_at, revoked_at, last_used_at
from api_tokens
where token_id = $token_id
