-- Import staging (import_rows): every data row of every part, by its Excel row number. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_rows (
    part_id integer,
    row_no bigint
)
