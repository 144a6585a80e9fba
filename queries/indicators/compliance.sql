-- S1 "3个1" compliance (R10): met / (met + breached) over the stages whose deadline falls
-- in $year up to the cut-off $until, judged as of the evaluation's as-of day (staging/judged_due, off
-- staging/sla_stages). No stage due in that period leaves S1 empty: there is nothing to judge.
with judged as (
    select
        inst_id,
        sum(case when status = 'met' then 1 else 0 end) as met,
        sum(case when status = 'breached' then 1 else 0 end) as breached
    from judged_due
    group by inst_id
)

select
    roster.inst_id,
    cast(coalesce(judged.met, 0) as integer) as S1_met,
    cast(coalesce(judged.breached, 0) as integer) as S1_breached,
    case when judged.met + judged.breached > 0
        then judged.met / (judged.met + judged.breached) end as S1
from roster
left join judged on judged.inst_id = roster.inst_id
order by inst_id
