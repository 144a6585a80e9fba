-- The disbursed applications a user may see (scoring.access.Scope), off staging/disbursal_book:
-- an institution its own, a district official those of its enterprises, the regulator all —
-- the same predicate as staging/scoped_applications, for the rows of the book.
select *
from disbursal_book
where ($scope_inst is null or inst_id = $scope_inst)
  and ($scope_district is null or district_code = $scope_district)
