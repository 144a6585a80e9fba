-- R4: each loan (or lease) claims its uncapped subsidy of the year against its project's
-- annual cap, loans and leases apart: 10,000,000 yuan for loans, 5,000,000 for leases.
with loans as (
    select project_id, kind, loan_id, sum(uncapped_fen) as weight
    from payment_uncapped
    where reason is null
    group by project_id, kind, loan_id
)

select
    concat_ws('|', project_id, kind) as grp,
    loan_id as member,
    weight,
    least(
        sum(weight) over (partition by project_id, kind),
        case when kind = 'loan' then $loan_cap_fen else $lease_cap_fen end
    ) as target
from loans
