-- Delete a draft run's rows of run_drop_one (scoring.runs.delete_run; a published run is refused before).
delete from run_drop_one
where run_id = $run_id
