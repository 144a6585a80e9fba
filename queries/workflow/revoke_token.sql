-- Revoke an API token: it is refused from now on.
update api_tokens set revoked_at = $at where token_id = $token_id
