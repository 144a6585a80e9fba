-- The published run of $year, if any (a year is published once).
select run_id
from evaluation_runs
where year = $year and published_at is not null
