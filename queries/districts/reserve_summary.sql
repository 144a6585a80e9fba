-- 融资对接台账 summed per unit (十九): the key projects pooled by $as_of, how many of them got a
-- loan or lease signed by then, the share, and the amount signed — the ledger's own definition
-- (districts/ledger.sql, through the same staging views), one row per unit with a pooled project
-- in scope (scoring.districts.reserve_summary adds the regulator's units without one).
with pool as (
    select project_id, district_code
    from scoped_projects
    where pooled_on <= $as_of
),

financing as (
    select contracts.project_id, sum(contracts.amount) as signed_amount
    from scoped_project_loans as contracts
    join pool on pool.project_id = contracts.project_id
    where contracts.signed_on <= $as_of
    group by contracts.project_id
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
    per_unit.district_code,
    districts.name,
    per_unit.pooled,
    per_unit.financed,
    cast(per_unit.financed as double) / nullif(per_unit.pooled, 0) as financed_share,  -- pooled >= 1; the guard is for Spark (ANSI)
    cast(per_unit.signed_amount as decimal(18, 2)) as signed_amount
from per_unit
join districts on districts.district_code = per_unit.district_code
order by per_unit.district_code
