-- The account an OIDC identity maps to by e-mail (stored lower-case).
select username, display_name, role, inst_id, district_code from users
where email = $email
order by username
limit 1
