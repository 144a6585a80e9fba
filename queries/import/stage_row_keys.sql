-- The key of every row of one part whose key cells are all filled: the key columns'
-- text joined by '|' in contract order (the part's columns are in that order), the form
-- of audit_log.row_key and classify_rows.sql.
insert into import_row_keys
select $part, row_no, concat_ws('|', *columns(lambda c: list_contains($key, c)))
from query_table($view)
where columns(lambda c: list_contains($key, c)) is not null
