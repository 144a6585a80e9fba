-- Import staging (import_owner_columns): the columns that say which institution owns a row (scope check). Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_owner_columns (
    tbl varchar,
    col varchar,
    via varchar,
    position integer
)
