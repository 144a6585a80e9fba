-- T1 揭榜 commitments: projects added (the institution's first signing on a project falls
-- in $year) and the amount signed in $year up to the cut-off, each against its peer group's
-- yearly target (bank 100 projects / 5 bn, leasing 200 / 1 bn by default) pro rata to the
-- elapsed share of the year, $year_share (序时进度: 1 at the year's end). An institution with a
-- peer tier is held to its tier's commitment ($tier_names / $tier_target_*: the tier's own, or its
-- group's where the method gives none). T1 is the mean of the two achievement ratios, each
-- capped at 1: over-delivering one cannot hide the other.
-- At every cut-off of the table cut_offs, off the latest cut-off's 技改专项贷: a loan counts from the day
-- it is signed and filed (counted_on, staging/eval_loans), its disbursement once that falls by the
-- cut-off too; amounts are first summed by those days, so the month ends are one pass over the loans.
-- Each cut-off has its own share of the year (year_share).
with targets as (
    select
        cut_offs.until,
        roster.inst_id,
        cut_offs.year_share * coalesce(
            list_extract($tier_target_projects, list_position($tier_names, tier)),
            case when peer_group = 'bank' then $bank_target_projects else $leasing_target_projects end
        ) as target_projects,
        cut_offs.year_share * coalesce(
            list_extract($tier_target_amounts, list_position($tier_names, tier)),
            case when peer_group = 'bank' then $bank_target_amount else $leasing_target_amount end
        ) as target_amount
    from cut_offs
    cross join roster
),

signed_days as (
    select inst_id, counted_on, sum(amount) as amount
    from eval_loans
    where signed_year = $year
    group by inst_id, counted_on
),

added_days as (
    -- each project added by the first day a cut-off keeps one of the institution's first signings on it
    select inst_id, added_on, count(*) as projects
    from (
        select inst_id, project_id, min(counted_on) as added_on
        from eval_loans
        where signed_year = $year and first_signing
        group by inst_id, project_id
    ) as added
    group by inst_id, added_on
),

signed as (
    select
        cut_offs.until,
        signed_days.inst_id,
        sum(signed_days.amount) as signed_amount
    from cut_offs
    join signed_days on signed_days.counted_on <= cut_offs.until
    group by cut_offs.until, signed_days.inst_id
),

added as (
    select cut_offs.until, added_days.inst_id, cast(sum(added_days.projects) as bigint) as projects_added
    from cut_offs
    join added_days on added_days.added_on <= cut_offs.until
    group by cut_offs.until, added_days.inst_id
),

achieved as (
    select
        targets.until,
        targets.inst_id,
        targets.target_projects,
        targets.target_amount,
        coalesce(added.projects_added, 0) as projects_added,
        coalesce(signed.signed_amount, 0) as signed_amount
    from targets
    left join signed on signed.until = targets.until and signed.inst_id = targets.inst_id
    left join added on added.until = targets.until and added.inst_id = targets.inst_id
)

select
    until,
    inst_id,
    projects_added as T1_projects,
    signed_amount as T1_amount,
    -- a zero target is met by anything: x / null is null, and least() skips nulls (both engines)
    (least(1.0, projects_added / nullif(target_projects, 0)) + least(1.0, signed_amount / nullif(target_amount, 0))) / 2 as T1
from achieved
order by until, inst_id
