-- S1 "3个1" compliance (R10): met / (met + breached) over the stages whose deadline falls
-- in $year up to the cut-off $until, judged as of the evaluation's as-of day (staging/judged_due, off
-- staging/sla_stages). No stage due in that period leaves S1 empty: there is nothing to judge.
-- At every cut-off of the table cut_offs (staging/judged_due counts them, as it does D5's).
with judged as (
    select until, inst_id, sum(met) as met, sum(breached) as breached
    from judged_due
    group by until, inst_id
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
