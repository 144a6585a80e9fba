-- Flags of $year per bank and leasing company and kind, for the deductions of the method
-- file (flags.deduct, e.g. 1 point per data-quality problem).
select
    roster.inst_id,
    cast(sum(case when flags.kind = 'violation' then 1 else 0 end) as integer) as violation,
    cast(sum(case when flags.kind = 'risk_event' then 1 else 0 end) as integer) as risk_event,
    cast(sum(case when flags.kind = 'data_quality' then 1 else 0 end) as integer) as data_quality
from roster
join flags on flags.inst_id = roster.inst_id
where flags.year = $year
group by roster.inst_id
order by roster.inst_id
