-- Every kept result, without its payload (the tests; scoring.shared).
select data_version, name, params, part, octet_length(payload) as bytes
from shared_results
order by data_version, name, params, part
