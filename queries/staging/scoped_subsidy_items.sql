-- The subsidy items of the session (`subsidy_items`, built by scoring.subsidy over all rows,
-- caps included) a user may see (scoring.access.Scope): an institution its own (as lender,
-- guarantor or insurer), a district official those placed in its district (the project's,
-- else the enterprise's), the regulator all. The one place the scope predicate is written
-- for subsidy items.
select *
from subsidy_items
where ($scope_inst is null or inst_id = $scope_inst)
  and ($scope_district is null or district_code = $scope_district)
