-- Delete a draft run's rows of run_districts (scoring.runs.delete_run; a published run is refused before).
delete from run_districts
where run_id = $run_id
