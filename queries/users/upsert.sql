-- Create a user, or reset an existing one: new password hash, role, scope and names.
insert or replace into users (username, password_hash, role, inst_id, district_code, display_name, email)
values ($username, $hash, $role, $inst, $district, $name, $email)
