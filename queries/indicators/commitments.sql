-- T1 揭榜 commitments: projects added (the institution's first signing on a project falls
-- in $year) and the amount signed in $year up to the cut-off, each against its peer group's
-- yearly target (bank 100 projects / 5 bn, leasing 200 / 1 bn by default) pro rata to the
-- elapsed share of the year, $year_share (序时进度: 1 at the year's end). An institution with a
-- peer tier is held to its tier's commitment ($tier_names / $tier_target_*: the tier's own, or its
-- group's where the method gives none). T1 is the mean of the two achievement ratios, each
-- capped at 1: over-delivering one cannot hide the other.
with targets as (
    select
        inst_id,
        $year_share * coalesce(
            list_extract($tier_target_projects, list_position($tier_names, tier)),
            case when peer_group = 'bank' then $bank_target_projects else $leasing_target_projects end
        ) as target_projects,
        $year_share * coalesce(
            list_extract($tier_target_amounts, list_position($tier_names, tier)),
            case when peer_group = 'bank' then $bank_target_amount else $leasing_target_amount end
        ) as target_amount
    from roster
),

signed as (
    select
        inst_id,
        count(distinct case when first_signing then project_id end) as projects_added,
        sum(amount) as signed_amount
    from eval_loans
    where signed_year = $year
    group by inst_id
),

achieved as (
    select
        targets.inst_id,
        targets.target_projects,
        targets.target_amount,
        coalesce(signed.projects_added, 0) as projects_added,
        coalesce(signed.signed_amount, 0) as signed_amount
    from targets
    left join signed on signed.inst_id = targets.inst_id
)

select
    inst_id,
    projects_added as T1_projects,
    signed_amount as T1_amount,
    -- a zero target is met by anything: x / null is null, and least() skips nulls (both engines)
    (least(1.0, projects_added / nullif(target_projects, 0)) + least(1.0, signed_amount / nullif(target_amount, 0))) / 2 as T1
from achieved
order by inst_id
