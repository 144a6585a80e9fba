-- R4 (and the caps of R5, R6): share each group's target among its members in
-- proportion to their weight, to the fen. Every member gets the floor of its exact
-- share; the fen left over (fewer than the members) go one each to the largest members
-- (ties: the smallest id), so the shares add up to the target exactly and no share
-- exceeds its weight. Reads `claims(grp, member, weight, target)` with
-- 0 ≤ target ≤ the group's total weight; weights and targets are integer fen.
--
-- Most groups are not capped (target = total weight): each member then gets its weight
-- exactly, so only the few capped groups are ranked and divided.
with totals as (
    select grp, sum(weight) as total_weight, max(target) as target
    from claims
    group by grp
),

capped as (
    select grp, total_weight, target
    from totals
    where target <> total_weight
),

marked as (
    select c.grp, c.member, c.weight, k.total_weight, k.target
    from claims as c
    left join capped as k on k.grp = c.grp
),

floors as (
    select
        grp, member, weight, target,
        case
            when total_weight = 0 then cast(0 as hugeint)
            else cast(weight as hugeint) * target // total_weight
        end as floor_share,
        row_number() over (partition by grp order by weight desc, member) as size_rank
    from marked
    where total_weight is not null
),

leftovers as (
    select grp, max(target) - sum(floor_share) as fen_left
    from floors
    group by grp
)

select grp, member, weight, cast(weight as hugeint) as allocated
from marked
where total_weight is null

union all

select
    f.grp, f.member, f.weight,
    f.floor_share + case when f.size_rank <= l.fen_left then 1 else 0 end as allocated
from floors as f
join leftovers as l on l.grp = f.grp
