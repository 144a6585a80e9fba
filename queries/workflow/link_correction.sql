-- An accepted appeal points to the corrected run it led to.
update appeals set corrected_run_id = $run_id where appeal_id = $appeal_id
