-- The latest sign-in attempts for the regulator's security page, newest first.
select event_id, attempted_at, username, client, outcome
from login_events
order by event_id desc
limit $limit
