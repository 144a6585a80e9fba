-- The method file a stored run was evaluated with (indicator names and weights for the pages).
select method_text
from evaluation_runs
where run_id = $run_id
