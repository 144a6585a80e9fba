-- The span of reported activity: the first and the last day any milestone or payment
-- happened. The dashboard's as-of day never goes past the last one.
with milestones as (
    select registered_on as day from applications
    union all select connected_on from applications
    union all select decided_on from applications
    union all select disbursed_on from applications
    union all select signed_on from loans
    union all select disbursed_on from loans
    union all select paid_on from interest_payments
)

select min(day) as first_day, max(day) as last_day
from milestones
