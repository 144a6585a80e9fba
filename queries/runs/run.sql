-- One stored run's header: method, data fingerprint, parameters, publication.
select *
from evaluation_runs
where run_id = $run_id
