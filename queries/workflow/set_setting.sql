-- Set one workflow setting (scoring.reporting.set_setting checks the value first).
insert or replace into workflow_settings (key, value) values ($key, $value)
