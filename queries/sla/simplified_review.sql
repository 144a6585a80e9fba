-- R11 simplified review: among the applications approved in the period that were eligible
-- for a brief evaluation opinion (green project, whitelisted enterprise, equipment-only
-- project), the share that used it, per institution. Simplified reviews of ineligible
-- approvals are counted apart, for the regulator to look at.
--
-- Parameters: $period_start, $period_end (dates); the user's approvals (staging/scoped_approvals).

with approvals as (
    select inst_id, simplified_review, review_eligible as eligible
    from scoped_approvals
    where decided_on between $period_start and $period_end
),

per_institution as (
    select
        inst_id,
        count(*) as approvals,
        count(case when eligible then 1 end) as eligible_approvals,
        count(case when eligible and simplified_review then 1 end) as simplified,
        count(case when not eligible and simplified_review then 1 end) as simplified_ineligible
    from approvals
    group by inst_id
)

select
    inst_id,
    approvals,
    eligible_approvals,
    simplified,
    simplified_ineligible,
    cast(simplified as double) / nullif(eligible_approvals, 0) as simplified_share
from per_institution
order by inst_id
