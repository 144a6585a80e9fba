-- One stored run's institution results, banks first, each group in rank order.
select *
from run_institutions
where run_id = $run_id
order by peer_group, rank nulls last, inst_id
