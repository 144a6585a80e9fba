-- R6: the uncapped premium subsidy of every insurance policy of policy year $year:
-- 80 % of the premium, where a first (set) of major equipment counts the premium only up
-- to a 3 % rate (eligible = min(premium, 3 % × insured amount)). Exact fractions of
-- integer fen, rounded half-up once.
with policies as (
    select
        ip.policy_id, ip.ent_id, ip.project_id, ip.insurer_id as inst_id, ip.kind,
        ip.product_name, ip.insured_amount, ip.premium, ip.policy_year as year,
        p.project_id is not null as project_known,
        p.filed_on,
        coalesce(p.district_code, en.district_code) as district_code
    from insurance_policies as ip
    left join projects as p on p.project_id = ip.project_id
    left join enterprises as en on en.ent_id = ip.ent_id
    where ip.policy_year = $year
),

reasoned as (
    select
        *,
        case
            when year < year($policy_start) or year > year($policy_end) then 'outside_policy_period'
            when project_id is not null and not project_known then 'unknown_project'
            when kind = 'project_cost_loss' and project_id is null then 'no_project'
            when kind = 'project_cost_loss' and filed_on is null then 'not_filed'
            when kind = 'first_set_equipment' and insured_amount is null then 'no_insured_amount'
        end as reason,
        cast(premium * 100 as hugeint) as premium_fen,
        cast(insured_amount * 100 as hugeint) as insured_fen
    from policies
),

bases as (
    -- the eligible premium as a fraction base_num / base_den of fen
    select
        *,
        kind = 'first_set_equipment'
            and premium_fen * $first_set_rate_den > insured_fen * $first_set_rate_num as rate_binds
    from reasoned
),

fractions as (
    select
        *,
        case when rate_binds then insured_fen * $first_set_rate_num else premium_fen end as base_num,
        case when rate_binds then cast($first_set_rate_den as hugeint) else cast(1 as hugeint) end as base_den
    from bases
)

select
    policy_id, ent_id, project_id, inst_id, district_code, kind, product_name, year,
    insured_amount, premium, reason,
    case
        when kind = 'project_cost_loss' then coalesce(project_id, policy_id)
        else coalesce(product_name, policy_id)
    end as subject,
    (2 * base_num + base_den) // nullif(2 * base_den, 0) as eligible_premium_fen,
    case
        when reason is null
            then (2 * base_num * $insurance_share_num + base_den * $insurance_share_den)
                // nullif(2 * base_den * $insurance_share_den, 0)
        else cast(0 as hugeint)
    end as uncapped_fen
from fractions
