-- The banks and leasing companies that report monthly and are assessed (issue 15), as a user may
-- see them: an institution itself, the regulator all, a district official none.
select inst_id, name, kind
from institutions
where kind in ('bank', 'leasing')
  and ($scope_inst is null or inst_id = $scope_inst)
  and $scope_district is null
