-- The token that changes whenever reported data changes (caches key on it).
select value
from meta
where key = 'data_version'
