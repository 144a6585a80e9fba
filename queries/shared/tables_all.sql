-- Every kept table (scoring.shared.forget; the tests).
select data_version, name, params, part, table_name
from shared_tables
order by data_version, name, params, part
