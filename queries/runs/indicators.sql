-- One stored run's indicators of one subject (institution or district), long form.
select subject_id, indicator, raw, normalised, contribution
from run_indicators
where run_id = $run_id and subject = $subject
order by subject_id, indicator
