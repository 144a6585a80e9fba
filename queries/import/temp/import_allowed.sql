-- Import staging (import_allowed): the allowed values of every enumerated column. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_allowed (
    tbl varchar,
    col varchar,
    value varchar
)
