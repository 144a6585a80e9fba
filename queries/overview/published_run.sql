-- The published evaluation run of $year (no row while the year's evaluation is a draft):
-- institution and district users see published results only.
select run_id
from evaluation_runs
where year = $year and published_at is not null
