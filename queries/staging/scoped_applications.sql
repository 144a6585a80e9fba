-- The applications a user may see (scoring.access.Scope): an institution its own, a
-- district official those of its enterprises, the regulator all — with the applying
-- enterprise's district. The one place the scope predicate is written for applications.
select applications.*, enterprises.district_code
from applications
left join enterprises on enterprises.ent_id = applications.ent_id
where ($scope_inst is null or applications.inst_id = $scope_inst)
  and ($scope_district is null or enterprises.district_code = $scope_district)
