-- The tables of a result kept for this data version (scoring.shared.stored), if any: part → table.
select part, table_name
from shared_tables
where data_version = $data_version
  and name = $result_name
  and params = $params
order by part
