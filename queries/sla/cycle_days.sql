-- S2 (METHOD.md): median working days from registration to disbursement per institution,
-- over the applications disbursed in the period (R9 working days, R10 milestones).
-- The median is read off window ranks (portable SQL: no ordered-set aggregate): the one
-- middle row of an odd count, the mean of the two middle rows of an even count.
--
-- Parameters: $period_start, $period_end (dates); the user's disbursements (staging/scoped_disbursals).

with disbursed as (
    select inst_id, working_days
    from scoped_disbursals
    where disbursed_on between $period_start and $period_end
),

ranked as (
    select
        inst_id,
        working_days,
        row_number() over (partition by inst_id order by working_days) as position,
        count(*) over (partition by inst_id) as disbursements
    from disbursed
),

middle as (
    -- 2 × position ∈ {n, n + 1, n + 2} holds for the middle row(s) only
    select inst_id, disbursements, working_days
    from ranked
    where 2 * position between disbursements and disbursements + 2
)

select
    inst_id,
    max(disbursements) as disbursements,
    avg(cast(working_days as double)) as median_working_days
from middle
group by inst_id
order by inst_id
