-- V3 reach: distinct enterprises financed in $year, inclusive ones (small, micro or
-- private) counted twice — enterprises × (1 + inclusive share), so both the breadth and
-- the 普惠 share raise it.
with borrowers as (
    select distinct inst_id, ent_id, inclusive_borrower
    from eval_loans
    where disbursed_year = $year
),

counted as (
    select
        inst_id,
        count(*) as enterprises,
        sum(case when inclusive_borrower then 1 else 0 end) as inclusive_enterprises
    from borrowers
    group by inst_id
)

select
    roster.inst_id,
    cast(coalesce(counted.enterprises, 0) as integer) as V3_enterprises,
    cast(coalesce(counted.inclusive_enterprises, 0) as integer) as V3_inclusive,
    cast(coalesce(counted.enterprises, 0) + coalesce(counted.inclusive_enterprises, 0) as integer) as V3
from roster
left join counted on counted.inst_id = roster.inst_id
order by inst_id
