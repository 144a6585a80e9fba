-- Delete a draft run's rows of evaluation_runs (scoring.runs.delete_run; a published run is refused before).
delete from evaluation_runs
where run_id = $run_id
