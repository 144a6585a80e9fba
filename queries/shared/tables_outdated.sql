-- Kept tables of every data version but the two newest (scoring.shared.stored drops them): a page
-- still reading the version before the last import keeps its tables until the next one.
select table_name
from shared_tables
where data_version not in (
    select distinct data_version from shared_tables order by data_version desc limit 2
)
