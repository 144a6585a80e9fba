-- Sign-in attempts per account over the last $hours hours: successes, failures, refusals.
select username,
       count(*) filter (where outcome = 'success') as successes,
       count(*) filter (where outcome = 'failure') as failures,
       count(*) filter (where outcome in ('throttled', 'busy')) as refused,
       count(distinct client) as clients,
       max(attempted_at) as last_attempt
from login_events
where attempted_at >= $since
group by username
order by failures desc, username
