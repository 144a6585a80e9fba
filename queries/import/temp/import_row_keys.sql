-- Import staging (import_row_keys): the key of every row whose key cells are filled. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_row_keys (
    part_id integer,
    row_no bigint,
    row_key varchar
)
