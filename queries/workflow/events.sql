-- The workflow trail, newest first: an institution sees the steps about itself, the regulator every step.
select event_id, happened_at, actor, inst_id, action, subject, detail
from scoped_workflow_events
where $subject is null or subject = $subject
order by event_id desc
limit 500
