-- Every row of a chained table in chain order, with its stored hash and a description of
-- the row for the message that names a broken one (scoring/audit.verify).
select {columns}, row_hash, {describe}
from {table}
order by {id}
