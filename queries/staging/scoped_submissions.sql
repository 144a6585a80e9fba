-- The submissions (issue 15 §1) a user may see: an institution its own, the regulator all, a
-- district official none (districts do not report). The one place the scope predicate is written for them.
select *
from submissions
where ($scope_inst is null or inst_id = $scope_inst)
  and $scope_district is null
