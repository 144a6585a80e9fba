-- The appeals (复核, issue 15 §4) a user may see: an institution its own, the regulator all, a
-- district official none.
select *
from appeals
where ($scope_inst is null or inst_id = $scope_inst)
  and $scope_district is null
