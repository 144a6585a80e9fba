-- The working-day calendar (R9), one row a day, rebuilt by scoring.calendar.refresh.
-- work_ordinal counts working days on or before `day`, so the n-th working day
-- strictly after d is the working day whose ordinal is ordinal(d) + n: a join, not a loop.

create table if not exists calendar (
    day          date primary key,
    working      boolean not null,
    holiday_name varchar,           -- 春节, 国庆节 …; for a makeup day "国庆节调休上班"
    makeup       boolean not null,  -- a Saturday or Sunday made a working day (调休)
    source       varchar not null check (source in ('package', 'holidays', 'weekday_rule')),
    provisional  boolean not null,  -- no published schedule for the year: Monday–Friday assumed
    work_ordinal integer not null
);
