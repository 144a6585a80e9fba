-- The names of the enterprises a user may name: every one for the regulator, a district's own
-- firms, and for an institution the firms it lent to or applied for (so 我的贴息 shows names, not
-- only credit codes, and never a firm the institution has no business with).
select enterprises.ent_id, enterprises.name
from enterprises
where ($scope_district is null or enterprises.district_code = $scope_district)
  and (
        $scope_inst is null
     or enterprises.ent_id in (select ent_id from loans where inst_id = $scope_inst)
     or enterprises.ent_id in (select ent_id from applications where inst_id = $scope_inst)
  )
order by enterprises.ent_id
