-- The parts of a result kept for this data version (scoring.shared), if any.
select part, payload
from shared_results
where data_version = $data_version
  and name = $result_name
  and params = $params
order by part
