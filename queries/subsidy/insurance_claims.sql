-- R6: the caps per subject and policy year: 5,000,000 yuan per first-set product,
-- 1,000,000 per software first-version product, 1,000,000 per project's cost-loss
-- insurance. Several policies on one subject of one enterprise share its cap; only the
-- subjects over their cap are claimed (every other policy keeps its uncapped subsidy).
with subjects as (
    select
        concat_ws('|', kind, ent_id, subject) as grp,
        policy_id as member,
        uncapped_fen as weight,
        case kind
            when 'first_set_equipment' then $first_set_cap_fen
            when 'software_first_version' then $software_cap_fen
            else $cost_loss_cap_fen
        end as cap
    from insurance_uncapped
    where reason is null
),

totals as (
    select grp, member, weight, cap, sum(weight) over (partition by grp) as total
    from subjects
)

select grp, member, weight, cap as target
from totals
where total > cap
