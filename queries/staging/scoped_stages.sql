-- The judged "3个1" stages (sla_stages) a user may see (scoring.access.Scope): an
-- institution its own applications', a district official its enterprises', the regulator
-- all. The one place the scope predicate is written for stages.
select *
from sla_stages
where ($scope_inst is null or inst_id = $scope_inst)
  and ($scope_district is null or district_code = $scope_district)
