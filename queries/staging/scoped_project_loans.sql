-- The loans and leases a user may see, placed where their project is (the project's district,
-- the borrowing enterprise's when the project is unknown) — the place subsidies are paid from
-- (R1–R8) and reserve projects are counted in (R16 D3–D4), where `scoped_loans` places a loan
-- with its borrower. An institution sees its own, a district official those placed in its
-- district, the regulator all. The one place the scope predicate is written for loans by project.
select loans.*, coalesce(projects.district_code, enterprises.district_code) as district_code
from loans
left join projects on projects.project_id = loans.project_id
left join enterprises on enterprises.ent_id = loans.ent_id
where ($scope_inst is null or loans.inst_id = $scope_inst)
  and ($scope_district is null or coalesce(projects.district_code, enterprises.district_code) = $scope_district)
