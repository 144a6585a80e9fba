-- A published run's selection becomes the cooperating list of year $next (R13, source `evaluation`).
insert into cooperation (year, inst_id, source)
select $next, inst_id, 'evaluation'
from run_institutions
where run_id = $run_id and selected
