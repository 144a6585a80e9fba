-- Mark a run published at $now (R13: immutable from now on).
update evaluation_runs
set published_at = $now
where run_id = $run_id
