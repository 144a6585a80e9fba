-- The sequence number the next run of $year gets (E2025-001, E2025-002, …).
select coalesce(max(cast(substr(run_id, 7) as integer)), 0) + 1 as sequence
from evaluation_runs
where year = $year
