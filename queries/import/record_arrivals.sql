-- The rows an import inserts arrive today (data-quality rule Q5); a replaced row keeps its first arrival.
insert into row_arrivals (table_name, row_key, first_seen)
select $table, row_key, cast($at as date)
from import_changes
where change = 'inserted'
on conflict do nothing
