-- A new data version token (scoring.db.bump_data_version), after every change of reported data.
insert or replace into meta (key, value) values ('data_version', $version)
