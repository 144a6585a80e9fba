-- The institution rows of stored evaluation runs (run_institutions) a user may see: an
-- institution its own, the regulator all, a district official none (a district is not
-- ranked among institutions). The one place the scope predicate is written for them.
select *
from run_institutions
where ($scope_inst is null or inst_id = $scope_inst)
  and $scope_district is null
