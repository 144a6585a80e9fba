-- Import staging (import_columns): every contract column of every table, with its place in the table's key. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_columns (
    tbl varchar,
    col varchar,
    key_pos integer
)
