-- Flags of $year per bank and leasing company and kind, for the deductions of the method
-- file (flags.deduct, e.g. 1 point per data-quality problem).
select
    institutions.inst_id,
    cast(sum(case when flags.kind = 'violation' then 1 else 0 end) as integer) as violation,
    cast(sum(case when flags.kind = 'risk_event' then 1 else 0 end) as integer) as risk_event,
    cast(sum(case when flags.kind = 'data_quality' then 1 else 0 end) as integer) as data_quality
from institutions
join flags on flags.inst_id = institutions.inst_id
where institutions.kind in ('bank', 'leasing')
  and flags.year = $year
group by institutions.inst_id
order by institutions.inst_id
