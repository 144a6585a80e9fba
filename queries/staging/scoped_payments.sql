-- The interest payments of the session with their subsidy (`payment_subsidies`, built by
-- scoring.subsidy over all rows) a user may see (scoring.access.Scope): an institution those on its own loans and
-- leases, a district official those placed in its district (the project's, else the
-- enterprise's), the regulator all. The one place the scope predicate is written for
-- interest payments.
select *
from payment_subsidies
where ($scope_inst is null or inst_id = $scope_inst)
  and ($scope_district is null or district_code = $scope_district)
