-- staging: book
-- R10 "3个1": every stage of every application with all that does not depend on the day it is
-- judged — its start, deadline and working-day ordinals as the milestones finally stand — so
-- that staging/sla_stages judges it as of any day by masking the milestones not yet reached,
-- without joining the calendar again. A session that judges several days (the race's twelve
-- month ends) builds this once.
--
-- Parameters: $week_calendar_days (boolean: "one week" is calendar days instead of working
-- days) and the policy's time limits (scoring/policies/default.toml [sla]): $connect_days (1),
-- $week_days (5 working days), $calendar_week_days (7). Working days are counted through
-- calendar.work_ordinal (R9): the n-th working day strictly after d is the working day whose
-- ordinal is ordinal(d) + n.

with milestones as (
    -- each application's milestones as reported, whatever the day they are judged on
    select
        applications.app_id,
        applications.inst_id,
        applications.ent_id,
        enterprises.district_code,
        applications.registered_on,
        applications.connected_on,
        case when applications.decision in ('approved', 'rejected') then applications.decided_on end as decided_on,
        case when applications.decision = 'approved' then applications.decided_on end as approved_on,
        case when applications.decision = 'approved' then applications.disbursed_on end as disbursed_on,
        coalesce(applications.decision = 'withdrawn', false) as withdrawal,
        case when applications.decision = 'withdrawn' then applications.decided_on end as withdrawn_on
    from applications
    left join enterprises on enterprises.ent_id = applications.ent_id
),

stages as (
    -- each stage starts from the actual previous milestone
    select *, 'connect' as stage, 1 as stage_order, registered_on as started_on, connected_on as done_on
    from milestones

    union all

    select *, 'approve' as stage, 2 as stage_order, connected_on as started_on, decided_on as done_on
    from milestones

    union all

    select *, 'disburse' as stage, 3 as stage_order, approved_on as started_on, disbursed_on as done_on
    from milestones
),

rules as (
    -- the deadline is the `deadline_offset`-th working day strictly after `deadline_base`:
    -- connect $connect_days working days; a week $week_days working days, or (calendar
    -- setting) the first working day on or after start + $calendar_week_days, i.e. 1 working
    -- day after start + $calendar_week_days − 1 (a time limit ending on a rest day runs to
    -- the next working day, as in 民法典 第二百零三条)
    select
        *,
        case
            when stage <> 'connect' and $week_calendar_days then started_on + ($calendar_week_days - 1)
            else started_on
        end as deadline_base,
        case
            when stage = 'connect' then $connect_days
            when $week_calendar_days then 1
            else $week_days
        end as deadline_offset
    from stages
),

marks as (
    -- per day: its working-day ordinal and the number of provisional days up to it
    select
        day,
        working,
        provisional,
        work_ordinal,
        sum(case when provisional then 1 else 0 end)
            over (order by day rows between unbounded preceding and current row) as provisional_days
    from calendar
)

select
    rules.app_id,
    rules.inst_id,
    rules.ent_id,
    rules.district_code,
    rules.registered_on,
    rules.connected_on,
    rules.decided_on,
    rules.approved_on,
    rules.withdrawal,
    rules.withdrawn_on,
    rules.stage,
    rules.stage_order,
    rules.started_on,
    rules.done_on,
    due.day as deadline,
    start_mark.work_ordinal as start_ordinal,
    due.work_ordinal as deadline_ordinal,
    done_mark.work_ordinal as done_ordinal,
    withdrawn_mark.work_ordinal as withdrawn_ordinal,
    -- any provisional day in started_on .. deadline
    due.provisional_days - start_mark.provisional_days
        + case when start_mark.provisional then 1 else 0 end > 0 as provisional_span,
    -- the first as-of day on which staging/sla_stages judges the stage met or breached, a status it
    -- keeps on every later day (NULL: never, the milestones as they stand): met once its finish is
    -- known (on time), breached the day after the deadline, or, when the application was withdrawn by
    -- the deadline (a withdrawal without a date is known from the start), once it is finished late.
    -- Never before the application is registered. The races read every month end's judged stages off
    -- one day's by it (districts/indicators); tests/test_sla_properties.py checks it against sla_stages.
    case
        when rules.registered_on is null or due.day is null then null
        when rules.done_on <= due.day then greatest(rules.registered_on, rules.started_on, rules.done_on)
        when rules.withdrawal and coalesce(rules.withdrawn_on <= due.day, true) then
            case when rules.done_on is not null then greatest(rules.registered_on, rules.done_on) end
        else greatest(rules.registered_on, due.day + 1)
    end as judged_on
from rules
left join marks as start_mark on start_mark.day = rules.started_on
left join marks as base_mark on base_mark.day = rules.deadline_base
left join marks as due
    on due.working and due.work_ordinal = base_mark.work_ordinal + rules.deadline_offset
left join marks as done_mark on done_mark.day = rules.done_on
left join marks as withdrawn_mark on withdrawn_mark.day = rules.withdrawn_on
