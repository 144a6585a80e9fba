-- R4: each loan (or lease) claims its uncapped subsidy of the year against its project's
-- annual cap, loans and leases apart: 10,000,000 yuan for loans, 5,000,000 for leases. Only
-- the projects over the cap are claimed (and allocated): every other payment keeps its
-- uncapped subsidy (payment_subsidies).
with loans as (
    select project_id, kind, loan_id, sum(uncapped_fen) as weight
    from payment_uncapped
    where reason is null
    group by project_id, kind, loan_id
),

projects as (
    select
        project_id, kind, sum(weight) as total,
        case when kind = 'loan' then $loan_cap_fen else $lease_cap_fen end as cap
    from loans
    group by project_id, kind
)

select
    concat_ws('|', l.project_id, l.kind) as grp,
    l.loan_id as member,
    l.weight,
    p.cap as target
from loans as l
join projects as p on p.project_id = l.project_id and p.kind = l.kind
where p.total > p.cap
