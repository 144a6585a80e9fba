-- R10 the morning list of breaches still outstanding: past the deadline, not done, not
-- withdrawn — the longest overdue first. Breaches already done late count in compliance,
-- not here.
--
-- Reads the user's judged stages (staging/scoped_stages) as of $as_of.

with outstanding as (
    select *
    from scoped_stages
    where status = 'breached'
        and done_on is null
        and not withdrawn
)

select
    outstanding.app_id,
    outstanding.inst_id,
    institutions.name as inst_name,
    outstanding.ent_id,
    enterprises.name as ent_name,
    outstanding.district_code,
    outstanding.stage,
    outstanding.started_on,
    outstanding.deadline,
    outstanding.working_days_late,
    outstanding.provisional
from outstanding
left join institutions on institutions.inst_id = outstanding.inst_id
left join enterprises on enterprises.ent_id = outstanding.ent_id
order by outstanding.working_days_late desc, outstanding.deadline, outstanding.app_id, outstanding.stage
