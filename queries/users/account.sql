-- The account of a username: who it is and its scope.
select username, display_name, role, inst_id, district_code from users where username = $username
