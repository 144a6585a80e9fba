-- Import staging (import_institution_kinds): every institution's kind, as stored or as this import redefines it. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_institution_kinds (
    inst_id varchar,
    kind varchar
)
