-- The n-th working day strictly after each probe day (R9), for probes in table calendar_probe(day, n).
with probe as (
    select day, n from calendar_probe
),

start as (
    select probe.day, probe.n, calendar.work_ordinal, calendar.provisional
    from probe
    join calendar on calendar.day = probe.day
),

landed as (
    select
        start.day,
        start.n,
        target.day as result,
        start.provisional or target.provisional as provisional
    from start
    join calendar as target
        on target.working and target.work_ordinal = start.work_ordinal + start.n
)

select * from landed
order by day, n
