-- The published run of $year, if any (a year is published once; a corrected run replaces it
-- through scoring.runs.supersede, not through publish).
select run_id
from evaluation_runs
where year = $year and published_at is not null
