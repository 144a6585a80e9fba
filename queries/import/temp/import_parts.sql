-- Import staging (import_parts): the files (or sheets) of this import. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_parts (
    part_id integer,
    file_name varchar,
    tbl varchar
)
