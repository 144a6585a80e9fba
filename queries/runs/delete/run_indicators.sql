-- Delete a draft run's rows of run_indicators (scoring.runs.delete_run; a published run is refused before).
delete from run_indicators
where run_id = $run_id
