-- Every API token without its hash, newest first.
select token_id, inst_id, label, created_by, created_at, revoked_at, last_used_at
from api_tokens
order by created_at desc, token_id desc
