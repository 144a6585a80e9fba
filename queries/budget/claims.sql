-- What the budget pays in order (R7, scoring.budget): first every interest-subsidy claim of
-- the variant (payment_subsidies, subsidy_fen > 0) in the queue's order — with $by_paid_on
-- false subsidy/queue's own (payments on loans of the year's cooperating institutions
-- first, then paid_on, then payment_id), true only paid_on and payment_id — then the
-- guarantee rewards (R5) and insurance subsidies (R6), which the queue does not hold, in
-- project and kind order. Each claim names its row of budget_rows (project and kind).
with interest as (
    select
        p.project_id, p.kind, p.subsidy_fen as fen,
        case when $by_paid_on or c.inst_id is null then 1 else 0 end as rank_group,
        p.paid_on, p.payment_id
    from payment_subsidies as p
    left join cooperation as c on c.inst_id = p.inst_id and c.year = $year
    where p.subsidy_fen > 0
),

others as (
    select project_id, kind, variant_fen as fen
    from budget_rows
    where kind not in ('loan', 'lease')
)

select project_id, kind, fen
from (
    select 0 as part, rank_group, paid_on, payment_id, project_id, kind, fen from interest
    union all
    select 1 as part, 0 as rank_group, cast(null as date) as paid_on, cast(null as varchar) as payment_id,
        project_id, kind, fen
    from others
) as queued
order by part, rank_group, paid_on, payment_id, project_id, kind
