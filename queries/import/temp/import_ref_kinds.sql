-- Import staging (import_ref_kinds): the institution kinds a column referring to an institution accepts. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_ref_kinds (
    tbl varchar,
    col varchar,
    kind varchar
)
