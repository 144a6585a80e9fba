-- Delete a draft run's rows of run_institutions (scoring.runs.delete_run; a published run is refused before).
delete from run_institutions
where run_id = $run_id
