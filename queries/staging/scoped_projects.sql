-- The technical-upgrade projects a user may see (scoring.access.Scope): a district official
-- those located in its district, an institution those it lends to (a loan or lease of its
-- own on the project), the regulator all. The one place the scope predicate is written for
-- projects.
select projects.*
from projects
where ($scope_district is null or projects.district_code = $scope_district)
  and ($scope_inst is null or projects.project_id in (select project_id from loans where inst_id = $scope_inst))
