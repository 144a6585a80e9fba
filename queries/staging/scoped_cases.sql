-- The typical cases (R17 典型案例库) a user may see: an institution its own library, the
-- regulator all, a district official none. The one place the scope predicate is written
-- for cases.
select *
from cases
where ($scope_inst is null or inst_id = $scope_inst)
  and $scope_district is null
