-- The final published evaluation run of $year (no row while the year's evaluation is a draft):
-- institution and district users see published results only, and a run superseded by a corrected
-- run (issue 15 §4) is never the one shown.
select run_id
from evaluation_runs
where year = $year and published_at is not null and superseded_by is null
