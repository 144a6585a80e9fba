-- The banks and leasing companies a user may name (roster): every one for the regulator,
-- itself for an institution user, and for a district official those that lent to or served
-- its firms (scoped_loans, scoped_applications). The one place the scope predicate is
-- written for institutions.
with served as (
    select inst_id from scoped_applications
    union
    select inst_id from scoped_loans
)

select roster.*
from roster
where ($scope_inst is null or roster.inst_id = $scope_inst)
  and ($scope_district is null or roster.inst_id in (select inst_id from served))
