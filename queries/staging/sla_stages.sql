-- staging: materialised
-- R10 "3个1": every stage of every application, as it stood at the end of $as_of — the
-- judged stages that compliance, the morning lists, S1 and D5 read (readers that show rows
-- to a user go through scoped_stages).
--
-- Parameters: $as_of (date); $week_calendar_days (boolean: "one week" is calendar days
-- instead of working days); the policy's time limits (scoring/policies/default.toml [sla]):
-- $connect_days (1), $week_days (5 working days), $calendar_week_days (7), $at_risk_days (1).
-- Unordered: sorting millions of rows costs more than
-- finding them; the listing (sla/stages.sql) sorts by app_id, stage_order.
--
-- A milestone dated after $as_of is not yet known, so a past as-of day shows the world as
-- it was then. Each stage starts from the actual previous milestone; a stage is listed once
-- it has started, or once the application is closed (withdrawn, rejected) and it never will.
-- Working days are counted through calendar.work_ordinal (R9): the n-th working day
-- strictly after d is the working day whose ordinal is ordinal(d) + n.

with known as (
    -- applications registered by $as_of, with only the milestones reached by then
    select
        applications.app_id,
        applications.inst_id,
        applications.ent_id,
        enterprises.district_code,
        applications.registered_on,
        case when applications.connected_on <= $as_of then applications.connected_on end as connected_on,
        case
            when applications.decision in ('approved', 'rejected') and applications.decided_on <= $as_of
                then applications.decided_on
        end as decided_on,
        case
            when applications.decision = 'approved' and applications.decided_on <= $as_of
                then applications.decided_on
        end as approved_on,
        case
            when applications.decision = 'approved' and applications.decided_on <= $as_of
                and applications.disbursed_on <= $as_of
                then applications.disbursed_on
        end as disbursed_on,
        -- a withdrawal without a date is known at every as-of day
        coalesce(applications.decision = 'withdrawn', false)
            and coalesce(applications.decided_on <= $as_of, true) as withdrawn,
        case
            when applications.decision = 'withdrawn' and applications.decided_on <= $as_of
                then applications.decided_on
        end as withdrawn_on
    from applications
    left join enterprises on enterprises.ent_id = applications.ent_id
    where applications.registered_on <= $as_of
),

closing as (
    select
        *,
        withdrawn or (decided_on is not null and approved_on is null) as closed
    from known
),

stages as (
    select
        app_id, inst_id, ent_id, district_code, withdrawn, withdrawn_on,
        'connect' as stage, 1 as stage_order,
        registered_on as started_on, connected_on as done_on
    from closing

    union all

    select
        app_id, inst_id, ent_id, district_code, withdrawn, withdrawn_on,
        'approve' as stage, 2 as stage_order,
        connected_on as started_on, decided_on as done_on
    from closing
    -- a decision without a connection date has no start: the approval stage is not listed
    -- and the unconnected connect stage shows the gap as a breach
    where connected_on is not null or withdrawn

    union all

    select
        app_id, inst_id, ent_id, district_code, withdrawn, withdrawn_on,
        'disburse' as stage, 3 as stage_order,
        approved_on as started_on, disbursed_on as done_on
    from closing
    where approved_on is not null or closed
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
        end as deadline_offset,
        coalesce(done_on, withdrawn_on, $as_of) as end_day
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
),

dated as (
    select
        rules.*,
        due.day as deadline,
        start_mark.work_ordinal as start_ordinal,
        due.work_ordinal as deadline_ordinal,
        end_mark.work_ordinal as end_ordinal,
        -- any provisional day in started_on .. deadline
        due.provisional_days - start_mark.provisional_days
            + case when start_mark.provisional then 1 else 0 end > 0 as provisional_span
    from rules
    left join marks as start_mark on start_mark.day = rules.started_on
    left join marks as base_mark on base_mark.day = rules.deadline_base
    left join marks as due
        on due.working and due.work_ordinal = base_mark.work_ordinal + rules.deadline_offset
    left join marks as end_mark on end_mark.day = rules.end_day
),

judged as (
    select
        dated.*,
        case
            when started_on is null then 'not_applicable'
            when deadline is null then 'open'  -- beyond the calendar's range: cannot be judged yet
            when done_on is not null then case when done_on <= deadline then 'met' else 'breached' end
            -- withdrawn before the stage was done: not applicable, unless the deadline had
            -- already passed (a breach stays a breach)
            when withdrawn then case when withdrawn_on > deadline then 'breached' else 'not_applicable' end
            when $as_of > deadline then 'breached'
            when deadline_ordinal - as_of_mark.work_ordinal <= $at_risk_days then 'at_risk'
            else 'open'
        end as status,
        deadline_ordinal - as_of_mark.work_ordinal as left_ordinals
    from dated
    left join marks as as_of_mark on as_of_mark.day = $as_of
)

select
    app_id,
    inst_id,
    ent_id,
    district_code,
    stage,
    stage_order,
    started_on,
    deadline,
    done_on,
    status,
    end_ordinal - start_ordinal as working_days_used,
    case when status in ('open', 'at_risk') then left_ordinals end as working_days_left,
    case when status = 'breached' then end_ordinal - deadline_ordinal end as working_days_late,
    withdrawn,
    coalesce(provisional_span, started_on is not null) as provisional
from judged
