-- The district rows of stored evaluation runs (run_districts, R16) a user may see: a
-- district official its own unit's, the regulator all, an institution none. The one place
-- the scope predicate is written for them.
select *
from run_districts
where ($scope_district is null or district_code = $scope_district)
  and $scope_inst is null
