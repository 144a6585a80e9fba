-- R10 the stages finished after their time limit whose time limit falls in $year (breached,
-- with a done day): the latest first, then in process order, with the enterprise's name.
--
-- Reads the user's judged stages (staging/scoped_stages) as of $as_of.
select
    scoped_stages.app_id,
    scoped_stages.inst_id,
    scoped_stages.ent_id,
    enterprises.name as ent_name,
    scoped_stages.stage,
    scoped_stages.deadline,
    scoped_stages.done_on,
    scoped_stages.working_days_late,
    scoped_stages.provisional
from scoped_stages
left join enterprises on enterprises.ent_id = scoped_stages.ent_id
where scoped_stages.status = 'breached'
    and scoped_stages.done_on is not null
    and year(scoped_stages.deadline) = $year
order by scoped_stages.working_days_late desc, scoped_stages.app_id, scoped_stages.stage_order
