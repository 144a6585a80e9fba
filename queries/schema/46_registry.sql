-- The indicator registry (scoring/methods/indicators.toml) a run's method read: what each
-- indicator is and which query computes it, so a stored run reads back with its indicators.
-- Older runs have none (null): they read back with the built-in registry.

alter table evaluation_runs add column if not exists registry_text varchar;
