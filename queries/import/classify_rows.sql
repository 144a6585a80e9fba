-- What importing one part changes (DATA.md: idempotent import). Each incoming row
-- (import_new, already of the table's types) is inserted (new key), unchanged (same key,
-- same values) or replaced (same key, new values: old and new kept as JSON for the
-- audit log). $table names the target table (query_table reads a table named by a
-- parameter) and $key its key columns; a row's key is those columns' text joined by
-- '|' in the table's column order (the contract keeps key columns in that order), the
-- form of audit_log.row_key. Kept as the temp table import_changes for the writes.
create temp table import_changes as
with incoming as (
    select concat_ws('|', *columns(lambda c: list_contains($key, c))) as row_key, n as new_row
    from import_new n
),
stored as (
    select concat_ws('|', *columns(lambda c: list_contains($key, c))) as row_key, t as old_row
    from query_table($table) t
),
classified as (
    select i.row_key, i.new_row, s.old_row,
           case when s.row_key is null then 'inserted'
                when i.new_row is not distinct from s.old_row then 'unchanged'
                else 'replaced'
           end as change
    from incoming i
    left join stored s using (row_key)
)
select row_key, change,
       case when change = 'replaced' then to_json(old_row) end as old_row,
       case when change = 'replaced' then to_json(new_row) end as new_row
from classified
