-- R4 (and the caps of R5, R6): share each group's target among its members in
-- proportion to their weight, to the fen. Every member gets the floor of its exact
-- share; the fen left over (fewer than the members) go one each to the largest members
-- (ties: the smallest id), so the shares add up to the target exactly and no share
-- exceeds its weight. Reads `claims(grp, member, weight, target)` with
-- 0 ≤ target ≤ the group's total weight; weights and targets are integer fen.
with totals as (
    select grp, sum(weight) as total_weight, max(target) as target
    from claims
    group by grp
),

floors as (
    select
        c.grp, c.member, c.weight,
        case
            when t.total_weight = 0 then cast(0 as hugeint)
            else cast(c.weight as hugeint) * t.target // t.total_weight
        end as floor_share,
        row_number() over (partition by c.grp order by c.weight desc, c.member) as size_rank
    from claims as c
    join totals as t on t.grp = c.grp
),

leftovers as (
    select f.grp, max(t.target) - sum(f.floor_share) as fen_left
    from floors as f
    join totals as t on t.grp = f.grp
    group by f.grp
)

select
    f.grp, f.member, f.weight,
    f.floor_share + case when f.size_rank <= l.fen_left then 1 else 0 end as allocated
from floors as f
join leftovers as l on l.grp = f.grp
