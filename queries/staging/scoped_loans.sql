-- The loans and leases a user may see (scoring.access.Scope): an institution its own, a
-- district official those to its enterprises, the regulator all — with the borrowing
-- enterprise's district. The one place the scope predicate is written for loans.
select loans.*, enterprises.district_code as ent_district_code
from loans
join enterprises on enterprises.ent_id = loans.ent_id
where ($scope_inst is null or loans.inst_id = $scope_inst)
  and ($scope_district is null or enterprises.district_code = $scope_district)
