-- The banks and leasing companies a user may name: all for the regulator, their own for an
-- institution user, and for a district official those that lent to or served its firms.
with served_in_district as (
    select applications.inst_id
    from applications
    join enterprises on enterprises.ent_id = applications.ent_id
    where enterprises.district_code = $scope_district
    union
    select loans.inst_id
    from loans
    join enterprises on enterprises.ent_id = loans.ent_id
    where enterprises.district_code = $scope_district
)

select institutions.inst_id, institutions.name, institutions.kind as peer_group
from institutions
where institutions.kind in ('bank', 'leasing')
  and ($scope_inst is null or institutions.inst_id = $scope_inst)
  and ($scope_district is null or institutions.inst_id in (select inst_id from served_in_district))
order by institutions.kind, institutions.inst_id
