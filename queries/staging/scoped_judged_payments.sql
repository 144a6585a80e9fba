-- The interest payments of $year as R1 judges them (staging/judged_payments), before any subsidy
-- is computed, that a user may see: the rows of scoped_payments without their subsidies, under the
-- same predicate on the same columns (an institution the payments on its own loans and leases, a
-- district official those placed in its district, the regulator all). For a reader that needs only
-- the judgement of a few days' payments (the daily digest's refused payments), not the year's caps.
select *
from judged_payments
where ($scope_inst is null or inst_id = $scope_inst)
  and ($scope_district is null or district_code = $scope_district)
