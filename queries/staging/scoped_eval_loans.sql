-- The 技改专项贷 the evaluation counts (eval_loans, as of $until) that a user may see
-- (scoring.access.Scope): an institution its own, a district official those to its
-- enterprises, the regulator all. The one place the scope predicate is written for them.
select *
from eval_loans
where ($scope_inst is null or inst_id = $scope_inst)
  and ($scope_district is null or ent_district_code = $scope_district)
