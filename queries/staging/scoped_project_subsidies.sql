-- The subsidies per project, kind and institution (project_subsidies, over all rows) a user may see
-- (scoring.access.Scope): an institution its own rows, a district official those placed in its
-- district, the regulator all — the predicate of scoped_subsidy_items on the same columns, which
-- are the groups' own. The one place the scope predicate is written for them.
select *
from project_subsidies
where ($scope_inst is null or inst_id = $scope_inst)
  and ($scope_district is null or district_code = $scope_district)
