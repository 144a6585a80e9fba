-- One stored run's drop-one analysis: each institution's rank with each indicator left out.
select inst_id, peer_group, dropped, rank, base_rank, shift
from run_drop_one
where run_id = $run_id
order by peer_group, inst_id, dropped
