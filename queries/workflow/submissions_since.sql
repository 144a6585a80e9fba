-- Accepted submissions after $since that covered a period from $first_period to $last_period
-- ('YYYY-MM'): what may have changed the data of a published evaluation.
with touched as (
    select submission_id, min(period) as first_period, max(period) as last_period
    from submission_periods
    where period between $first_period and $last_period
    group by submission_id
)

select s.submission_id, s.inst_id, s.submitter, s.submitted_at, s.rows_inserted, s.rows_replaced,
       t.first_period, t.last_period
from submissions as s
join touched as t on t.submission_id = s.submission_id
where s.accepted and s.submitted_at > $since and (s.rows_inserted > 0 or s.rows_replaced > 0)
order by s.submitted_at
