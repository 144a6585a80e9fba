-- staging: cut-off
-- stored order: app_id, stage_order
-- R10 "3个1": every stage of every application, as it stood at the end of $as_of — the
-- judged stages that compliance, the morning lists, S1 and D5 read (readers that show rows
-- to a user go through scoped_stages).
--
-- Parameters: $as_of (date); $at_risk_days (1, the policy's [sla]); the stages' own
-- (staging/stage_book: the week setting and the time limits).
-- Unordered here: sorting millions of rows costs more than
-- finding them. A table of the database that keeps them (the import's, the app's) holds them in
-- the listing's order, app_id then stage_order, so that the listing (sla/stages.sql) read from
-- it needs no sort.
--
-- A milestone dated after $as_of is not yet known, so a past as-of day shows the world as
-- it was then: staging/stage_book holds each stage as its milestones finally stand, and a
-- stage's start, deadline and ordinals are kept only if it had started by $as_of (they
-- follow from the start alone). A stage is listed once it has started, or once the
-- application is closed (withdrawn, rejected) and it never will.

with as_of_mark as (
    select max(work_ordinal) as work_ordinal
    from calendar
    where day = $as_of
),

known as (
    -- the stages of applications registered by $as_of, with only the milestones reached by then
    select
        stage_book.*,
        started_on <= $as_of as started,
        case when done_on <= $as_of then done_on end as done_by,
        -- a withdrawal without a date is known at every as-of day
        withdrawal and coalesce(withdrawn_on <= $as_of, true) as withdrawn,
        case when withdrawn_on <= $as_of then withdrawn_on end as withdrawn_by,
        case when decided_on <= $as_of then decided_on end as decided_by,
        case when approved_on <= $as_of then approved_on end as approved_by,
        as_of_mark.work_ordinal as as_of_ordinal
    from stage_book
    cross join as_of_mark
    where registered_on <= $as_of
),

listed as (
    select
        app_id,
        inst_id,
        ent_id,
        district_code,
        withdrawn,
        withdrawn_by,
        stage,
        stage_order,
        case when started then started_on end as started_on,
        case when started then deadline end as deadline,
        -- the deadline as the book has it, known or not by $as_of: a reader that wants only the
        -- stages due in a window adds a filter on it implied by its own (deadline in the window,
        -- and so started), and the filter reaches the book before anything is judged (D5 over
        -- the race's twelve month ends judged all 3.2 M stages of a million loans each month)
        deadline as book_deadline,
        -- the day the book says the stage is first judged met or breached (staging/stage_book): a
        -- stage judged so as of $as_of was judged so as of every day from it on, and not before
        judged_on,
        done_by as done_on,
        case when started then start_ordinal end as start_ordinal,
        case when started then deadline_ordinal end as deadline_ordinal,
        case
            when done_by is not null then done_ordinal
            when withdrawn_by is not null then withdrawn_ordinal
            else as_of_ordinal
        end as end_ordinal,
        as_of_ordinal,
        case when started then provisional_span end as provisional_span
    from known
    where stage = 'connect'
        -- a decision without a connection date has no start: the approval stage is not listed
        -- and the unconnected connect stage shows the gap as a breach
        or (stage = 'approve' and (connected_on <= $as_of or withdrawn))
        or (stage = 'disburse' and (approved_by is not null or withdrawn
                                    or (decided_by is not null and approved_by is null)))
),

judged as (
    select
        *,
        case
            when started_on is null then 'not_applicable'
            when deadline is null then 'open'  -- beyond the calendar's range: cannot be judged yet
            when done_on is not null then case when done_on <= deadline then 'met' else 'breached' end
            -- withdrawn before the stage was done: not applicable, unless the deadline had
            -- already passed (a breach stays a breach)
            when withdrawn then case when withdrawn_by > deadline then 'breached' else 'not_applicable' end
            when $as_of > deadline then 'breached'
            when deadline_ordinal - as_of_ordinal <= $at_risk_days then 'at_risk'
            else 'open'
        end as status
    from listed
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
    case when status in ('open', 'at_risk') then deadline_ordinal - as_of_ordinal end as working_days_left,
    case when status = 'breached' then end_ordinal - deadline_ordinal end as working_days_late,
    withdrawn,
    coalesce(provisional_span, started_on is not null) as provisional,
    book_deadline,
    judged_on
from judged
