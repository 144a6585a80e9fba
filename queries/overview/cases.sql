-- The typical cases (R17 典型案例库) of the institutions in scope, newest year first.
select
    cases.inst_id,
    cases.case_id,
    cases.year,
    cases.title,
    enterprises.name as ent_name,
    cases.summary
from cases
left join enterprises on enterprises.ent_id = cases.ent_id
where ($scope_inst is null or cases.inst_id = $scope_inst)
  and $scope_district is null  -- an institution's own library
order by cases.inst_id, cases.year desc, cases.case_id
