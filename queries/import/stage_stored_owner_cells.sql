-- The owner cell ($col) of every stored row of $table that an incoming row of part
-- $part would replace (same key: the key columns' text joined by '|'), for scope_issues.sql.
with stored as (
    select concat_ws('|', *columns(lambda c: list_contains($key, c))) as row_key,
           cast(columns(lambda c: c = $col) as varchar) as owner
    from query_table($table)
)
insert into import_owner_cells
select $part, k.row_no, $col, $via, s.owner, true
from stored s
join import_row_keys k on k.part_id = $part and k.row_key = s.row_key
