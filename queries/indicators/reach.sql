-- V3 reach: distinct enterprises financed in $year, inclusive ones (small, micro or
-- private) counted twice — enterprises × (1 + inclusive share), so both the breadth and
-- the 普惠 share raise it. At every cut-off of the table cut_offs: an enterprise counts from the first
-- day a cut-off keeps one of its loans disbursed in $year (signed and filed, counted_on in
-- staging/eval_loans, and disbursed by then), found once over the latest cut-off's loans.
with borrowers as (
    select inst_id, ent_id, inclusive_borrower, min(greatest(counted_on, disbursed_on)) as borrower_from
    from eval_loans
    where disbursed_year = $year
    group by inst_id, ent_id, inclusive_borrower
),

counted as (
    select
        cut_offs.until,
        borrowers.inst_id,
        count(*) as enterprises,
        sum(case when borrowers.inclusive_borrower then 1 else 0 end) as inclusive_enterprises
    from cut_offs
    join borrowers on borrowers.borrower_from <= cut_offs.until
    group by cut_offs.until, borrowers.inst_id
)

select
    cut_offs.until,
    roster.inst_id,
    cast(coalesce(counted.enterprises, 0) as integer) as V3_enterprises,
    cast(coalesce(counted.inclusive_enterprises, 0) as integer) as V3_inclusive,
    cast(coalesce(counted.enterprises, 0) + coalesce(counted.inclusive_enterprises, 0) as integer) as V3
from cut_offs
cross join roster
left join counted on counted.until = cut_offs.until and counted.inst_id = roster.inst_id
order by until, inst_id
