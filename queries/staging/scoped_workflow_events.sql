-- The steps of the workflow trail (issue 15) a user may see: an institution those about itself,
-- the regulator all, a district official none.
select *
from workflow_events
where ($scope_inst is null or inst_id = $scope_inst)
  and $scope_district is null
