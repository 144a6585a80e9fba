-- The rows of a chained table appended after the chain's head, oldest first (scoring/audit.seal).
select {columns}
from {table}
where row_hash is null and {id} > $last_id
order by {id}
