-- The database holds the demo data and the public demo accounts: the login page says so.
insert or replace into meta (key, value) values ('demo', 'true')
