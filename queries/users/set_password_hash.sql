-- Replace a user's hash (a stale one is upgraded at sign-in).
update users set password_hash = $hash where username = $username
