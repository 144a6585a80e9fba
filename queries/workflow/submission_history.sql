-- Submissions, newest first: an institution its own, the regulator every one (the periods each covered
-- joined into one text).
with periods as (
    select distinct submission_id, period
    from submission_periods
),

covered as (
    select submission_id, string_agg(period, '、' order by period) as periods
    from periods
    group by submission_id
)

select s.submission_id, s.inst_id, s.submitter, s.channel, s.submitted_at, s.accepted, s.rows_total,
       s.rows_inserted, s.rows_replaced, s.rows_unchanged, s.error_count, c.periods
from scoped_submissions as s
left join covered as c on c.submission_id = s.submission_id
order by s.submitted_at desc, s.submission_id desc
limit $limit
