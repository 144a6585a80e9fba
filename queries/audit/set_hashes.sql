-- Store the chain hashes computed for newly sealed rows (sealed_rows: id, row_hash).
update {table} t
set row_hash = s.row_hash
from sealed_rows s
where t.{id} = s.id
