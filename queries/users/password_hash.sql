-- The stored argon2id hash of a user (null for an OIDC-only account).
select password_hash from users where username = $username
