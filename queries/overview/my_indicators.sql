-- The indicators of the subjects in scope in a stored run: an institution user its own
-- institution's, a district official its own unit's (R12, R16). Long form. $scope_inst and
-- $scope_district name whose indicators these are (not a filter): the regulator has none of its own.
select subject, subject_id, indicator, raw, normalised, contribution
from run_indicators
where run_id = $run_id
  and (
        (subject = 'institution' and $scope_inst is not null and subject_id = $scope_inst)
     or (subject = 'district' and $scope_district is not null and subject_id = $scope_district)
  )
order by subject, indicator
