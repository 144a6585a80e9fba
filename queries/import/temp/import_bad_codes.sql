-- Import staging (import_bad_codes): the credit codes of this import that fail GB 32100-2015, with the reason. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_bad_codes (
    value varchar,
    message varchar
)
