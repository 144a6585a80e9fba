-- S1 "3个1" compliance (R10): met / (met + breached) over the stages whose deadline falls
-- in $year up to the cut-off $until, judged as of the evaluation's as-of day (staging/judged_due, off
-- staging/sla_stages). No stage due in that period leaves S1 empty: there is nothing to judge.
-- At every cut-off of the table cut_offs: the latest's judged stages due by the cut-off and judged by
-- its as-of day (judged_on, staging/stage_book), as districts/indicators counts D5; counted first by
-- those days, so the month ends are one pass over the stages.
with judged_days as (
    select
        inst_id,
        deadline,
        judged_on,
        sum(case when status = 'met' then 1 else 0 end) as met,
        sum(case when status = 'breached' then 1 else 0 end) as breached
    from judged_due
    group by inst_id, deadline, judged_on
),

judged as (
    select cut_offs.until, judged_days.inst_id, sum(met) as met, sum(breached) as breached
    from cut_offs
    join judged_days on judged_days.deadline <= cut_offs.until and judged_days.judged_on <= cut_offs.as_of
    group by cut_offs.until, judged_days.inst_id
)

select
    cut_offs.until,
    roster.inst_id,
    cast(coalesce(judged.met, 0) as integer) as S1_met,
    cast(coalesce(judged.breached, 0) as integer) as S1_breached,
    case when judged.met + judged.breached > 0
        then judged.met / (judged.met + judged.breached) end as S1
from cut_offs
cross join roster
left join judged on judged.until = cut_offs.until and judged.inst_id = roster.inst_id
order by until, inst_id
