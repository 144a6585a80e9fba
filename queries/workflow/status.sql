-- Reporting status per bank and leasing company and period as of $as_of (issue 15 §1): each month's
-- data is due by its deadline (registered frame `reporting_periods`: period, deadline). Only accepted
-- submissions made by the as-of day count. The first one decides on time / late; a later accepted
-- one that replaced rows of the period makes it "corrected". Working days late are counted on the R9
-- calendar up to the submission (or the as-of day while missing); a day that is not a working day
-- counts as the next working day.
with expected as (
    select i.inst_id, i.name, i.kind, p.period, p.deadline
    from scoped_reporters as i
    cross join reporting_periods as p
),

covered as (
    select sp.inst_id, sp.period, s.submission_id, s.submitted_at, s.rows_replaced
    from submission_periods as sp
    join submissions as s on s.submission_id = sp.submission_id
    where s.accepted and cast(s.submitted_at as date) <= $as_of
),

firsts as (
    select inst_id, period, min(submitted_at) as first_at, count(*) as submissions, max(submitted_at) as last_at
    from covered
    group by inst_id, period
),

corrections as (
    select c.inst_id, c.period, count(*) as corrections
    from covered as c
    join firsts as f on f.inst_id = c.inst_id and f.period = c.period
    where c.submitted_at > f.first_at and c.rows_replaced > 0
    group by c.inst_id, c.period
),

judged as (
    select
        e.inst_id, e.name, e.kind, e.period, e.deadline, f.first_at, f.last_at,
        coalesce(f.submissions, 0) as submissions,
        coalesce(k.corrections, 0) as corrections,
        coalesce(cast(f.first_at as date), $as_of) as counted_day
    from expected as e
    left join firsts as f on f.inst_id = e.inst_id and f.period = e.period
    left join corrections as k on k.inst_id = e.inst_id and k.period = e.period
)

select
    j.inst_id, j.name, j.kind, j.period, j.deadline, j.first_at, j.last_at, j.submissions, j.corrections,
    case
        when j.first_at is null and $as_of <= j.deadline then 'not_due'
        when j.first_at is null then 'missing'
        when j.corrections > 0 then 'corrected'
        when cast(j.first_at as date) <= j.deadline then 'on_time'
        else 'late'
    end as status,
    case
        when j.counted_day <= j.deadline then 0
        else c.work_ordinal + (case when c.working then 0 else 1 end) - d.work_ordinal
    end as working_days_late,
    cast(j.first_at as date) > j.deadline as first_late
from judged as j
join calendar as d on d.day = j.deadline
join calendar as c on c.day = j.counted_day
order by j.period, j.kind, j.inst_id
