-- The district race over the years (R16): each published year's score and rank of the units
-- in scope (a district official: its own unit; the regulator: every unit); the final run of each
-- year, never one a corrected run superseded.
select evaluation_runs.year, run_districts.district_code, run_districts.name, run_districts.score, run_districts.rank
from scoped_run_districts as run_districts
join evaluation_runs on evaluation_runs.run_id = run_districts.run_id
where evaluation_runs.published_at is not null and evaluation_runs.superseded_by is null
order by evaluation_runs.year, run_districts.rank
