-- Import staging (import_owner_cells): the owner cells of the imported rows and of the stored rows they replace. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_owner_cells (
    part_id integer,
    row_no bigint,
    col varchar,
    via varchar,
    value varchar,
    stored boolean
)
