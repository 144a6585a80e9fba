-- Import staging (import_loan_amounts): every loan's amount, as stored or as this import redefines it. Declared, not created from a query: in DuckDB 2.0.0 a
-- table made by CREATE TABLE AS inside a transaction loses rows inserted into it later.
create or replace temp table import_loan_amounts (
    loan_id varchar,
    amount varchar
)
