-- The banks and leasing companies a user may name: all for the regulator, their own for an
-- institution user, and for a district official those that lent to or served its firms.
with served as (
    select inst_id from scoped_applications
    union
    select inst_id from scoped_loans
)

select inst_id, name, peer_group
from roster
where ($scope_inst is null or inst_id = $scope_inst)
  and ($scope_district is null or inst_id in (select inst_id from served))
order by peer_group, inst_id
