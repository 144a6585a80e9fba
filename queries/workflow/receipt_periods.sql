-- The reporting periods an accepted submission covered, on its receipt, within the user's scope.
select p.inst_id, p.period, p.rows_total
from submission_periods as p
join scoped_submissions as s on s.submission_id = p.submission_id
where p.submission_id = $submission_id
order by p.period, p.inst_id
