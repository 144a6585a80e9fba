-- The token that changes whenever reported data changes, and only then (set_reported_version).
select value
from meta
where key = 'reported_version'
