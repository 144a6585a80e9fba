-- One stored run's district race (R16), in rank order.
select *
from run_districts
where run_id = $run_id
order by rank, district_code
