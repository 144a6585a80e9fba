-- 融资对接台账 city-wide (十九): per unit, the key projects pooled by $as_of, how many of them got a
-- loan or lease signed by then, the share, and the amount signed — the ledger's own definition
-- (districts/ledger.sql), summed, for all 41 units (a unit without a pooled project shows zeros).
with pool as (
    select project_id, district_code
    from projects
    where pooled_on <= $as_of
      and ($scope_district is null or district_code = $scope_district)
),

financing as (
    select loans.project_id, sum(loans.amount) as signed_amount
    from loans
    join pool on pool.project_id = loans.project_id
    where loans.signed_on <= $as_of
      and ($scope_inst is null or loans.inst_id = $scope_inst)
    group by loans.project_id
),

per_unit as (
    select
        pool.district_code,
        count(*) as pooled,
        count(financing.project_id) as financed,
        sum(coalesce(financing.signed_amount, 0)) as signed_amount
    from pool
    left join financing on financing.project_id = pool.project_id
    group by pool.district_code
)

select
    districts.district_code,
    districts.name,
    coalesce(per_unit.pooled, 0) as pooled,
    coalesce(per_unit.financed, 0) as financed,
    case when per_unit.pooled > 0 then cast(per_unit.financed as double) / per_unit.pooled end as financed_share,
    cast(coalesce(per_unit.signed_amount, 0) as decimal(18, 2)) as signed_amount
from districts
left join per_unit on per_unit.district_code = districts.district_code
where ($scope_district is null or districts.district_code = $scope_district)
  and $scope_inst is null
order by districts.district_code
