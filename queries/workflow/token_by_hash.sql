-- The live (not revoked) token whose SHA-256 a request presented.
select token_id, inst_id, label
from api_tokens
where token_hash = $token_hash and revoked_at is null
