-- The "3个1" stages (R10) that became breaches since the last digest: breached as of $as_of and
-- with a deadline on or after $since (the previous working day's digest, when they were still
-- in time), whether done late since or still outstanding. Reads the user's judged stages.
select
    s.app_id,
    s.inst_id,
    institutions.name as inst_name,
    s.ent_id,
    enterprises.name as ent_name,
    s.district_code,
    s.stage,
    s.started_on,
    s.deadline,
    s.done_on,
    s.working_days_late,
    s.provisional
from scoped_stages as s
left join institutions on institutions.inst_id = s.inst_id
left join enterprises on enterprises.ent_id = s.ent_id
where s.status = 'breached'
  and s.deadline >= $since
order by s.deadline, s.app_id, s.stage
