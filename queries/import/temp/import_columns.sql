-- Import staging (import_columns): every contract column of every table, with its place in the table's key and
-- what its cells are checked for (column_issues.sql), from the contract and validate.py's rules. Declared, not
-- created from a query: in DuckDB 2.0.0 a table made by CREATE TABLE AS inside a transaction loses rows inserted
-- into it later.
create or replace temp table import_columns (
    column_id smallint,   -- as in import_cells
    tbl varchar,
    col varchar,
    key_pos integer,
    label varchar,        -- the Chinese label without its bracketed note
    required boolean,     -- required and without a default: an empty cell is an issue
    family varchar,       -- list | cell | identifier | control | null (credit codes: import_bad_codes)
    kind varchar,
    positive boolean,
    allowed varchar[],    -- the allowed values, and as the messages name them
    allowed_text varchar,
    first_day date,       -- the plausible dates
    last_day date,
    ref_tbl varchar,      -- the table a reference names, and its label
    ref_label varchar,
    roles varchar[],      -- the institution kinds the column accepts, and as the messages name them
    roles_text varchar
)
