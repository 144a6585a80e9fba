-- What importing one part changes (DATA.md: idempotent import). Each incoming row
-- (import_new, already of the table's types) is inserted (new key), unchanged (same key,
-- same values) or replaced (same key, new values: old and new kept as JSON for the
-- audit log). Identifiers cannot be bound as parameters, so {table}, {row_key} (the
-- key as text, over alias n), {first_key} and {same_key} (the join on every key
-- column) are filled in from the contract.
with matched as (
    select {row_key} as row_key, t.{first_key} is not null as known, n as new_row, t as old_row
    from import_new n
    left join {table} t on {same_key}
),
classified as (
    select row_key, new_row, old_row,
           case when not known then 'inserted'
                when new_row is not distinct from old_row then 'unchanged'
                else 'replaced'
           end as change
    from matched
)
select row_key, change,
       case when change = 'replaced' then to_json(old_row) end as old_row,
       case when change = 'replaced' then to_json(new_row) end as new_row
from classified
