-- R10 the morning list of stages still open: what must be done, soonest deadline first
-- (at_risk: the deadline is today or the next working day).
--
-- Reads the user's judged stages (staging/scoped_stages) as of $as_of.

with open_stages as (
    select *
    from scoped_stages
    where status in ('open', 'at_risk')
)

select
    open_stages.app_id,
    open_stages.inst_id,
    institutions.name as inst_name,
    open_stages.ent_id,
    enterprises.name as ent_name,
    open_stages.district_code,
    open_stages.stage,
    open_stages.started_on,
    open_stages.deadline,
    open_stages.status,
    open_stages.working_days_left,
    open_stages.provisional
from open_stages
left join institutions on institutions.inst_id = open_stages.inst_id
left join enterprises on enterprises.ent_id = open_stages.ent_id
order by open_stages.working_days_left, open_stages.deadline, open_stages.app_id, open_stages.stage
