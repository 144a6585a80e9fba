-- R10 compliance = met / (met + breached) over the stages whose deadline falls in the period,
-- grouped by any of institution, district, month of the deadline and stage (a flag each:
-- a dimension left out is null and folds into one group).
--
-- Reads the user's judged stages (staging/scoped_stages). Parameters: $period_start,
-- $period_end (dates, null = open-ended); $by_inst, $by_district, $by_month, $by_stage
-- (booleans); the stages' $as_of and $week_calendar_days; the scope.

with in_period as (
    select inst_id, district_code, stage, deadline, status
    from scoped_stages
    where deadline is not null
        and ($period_start is null or deadline >= $period_start)
        and ($period_end is null or deadline <= $period_end)
),

keyed as (
    select
        case when $by_inst then inst_id end as inst_id,
        case when $by_district then district_code end as district_code,
        -- the month as a number here, spelt "YYYY-MM" once per group below (not per stage)
        case when $by_month then year(deadline) * 100 + month(deadline) end as month_number,
        case when $by_stage then stage end as stage,
        status
    from in_period
),

counted as (
    select
        inst_id,
        district_code,
        month_number,
        stage,
        count(case when status = 'met' then 1 end) as met,
        count(case when status = 'breached' then 1 end) as breached,
        count(case when status in ('open', 'at_risk') then 1 end) as pending,
        count(case when status = 'not_applicable' then 1 end) as not_applicable
    from keyed
    group by inst_id, district_code, month_number, stage
)

select
    inst_id,
    district_code,
    cast(month_number // 100 as varchar) || '-' || lpad(cast(month_number % 100 as varchar), 2, '0') as month,
    stage,
    met,
    breached,
    pending,
    not_applicable,
    cast(met as double) / nullif(met + breached, 0) as compliance_rate
from counted
order by inst_id, district_code, month, stage
