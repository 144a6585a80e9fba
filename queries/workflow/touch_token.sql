-- When a token was last used.
update api_tokens set last_used_at = $at where token_id = $token_id
