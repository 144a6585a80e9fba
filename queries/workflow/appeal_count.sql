-- Appeals filed against runs of $year so far (the next appeal is numbered after them).
select count(*) as appeals
from appeals
where run_id like 'E' || cast($year as varchar) || '-%'
