-- One stored run's indicators, long form: one row per subject (institution or district) and
-- indicator or part (a part has a raw value only).
select subject, subject_id, indicator, raw, normalised, contribution
from run_indicators
where run_id = $run_id
order by subject, subject_id, indicator
