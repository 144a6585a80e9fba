-- The subsidy items of $year that are not interest payments, in subsidy_items' shape: each
-- guarantee fee (R5) and each insurance policy (R6), with its amount before and after the caps
-- in fen. Only the members of capped groups have a share (guarantee_shares, insurance_shares);
-- every other item keeps its uncapped amount (0 when refused). Kept apart from the payments so
-- that a shared copy of the year's items (scoring.subsidy.SHARED) holds each payment once.
with guarantee_fees as (
    select
        'guarantee' as item_type, g.guarantee_id as item_id, g.project_id,
        cast(null as varchar) as policy_id, 'guarantee' as kind, g.year,
        g.inst_id, g.ent_id, g.district_code, g.reason,
        g.uncapped_fen, coalesce(s.allocated, g.uncapped_fen) as subsidy_fen
    from guarantee_uncapped as g
    left join guarantee_shares as s on s.member = g.guarantee_id
    where g.year = $year
),

policies as (
    select
        'policy' as item_type, i.policy_id as item_id, coalesce(i.project_id, i.policy_id) as project_id,
        i.policy_id, i.kind, i.year,
        i.inst_id, i.ent_id, i.district_code, i.reason,
        i.uncapped_fen, coalesce(s.allocated, i.uncapped_fen) as subsidy_fen
    from insurance_uncapped as i
    left join insurance_shares as s on s.member = i.policy_id
)

select * from guarantee_fees
union all
select * from policies
