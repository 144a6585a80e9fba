-- Every subsidy item of $year in one shape: an interest payment (R2–R4), a guarantee
-- fee (R5) or an insurance policy (R6), with its amount before and after the caps in fen.
with payments as (
    select
        'payment' as item_type, p.payment_id as item_id, p.project_id,
        cast(null as varchar) as policy_id, p.kind, $year as year,
        p.inst_id, p.ent_id, p.district_code, p.reason,
        p.uncapped_fen, coalesce(s.allocated, 0) as subsidy_fen
    from payment_uncapped as p
    left join payment_shares as s on s.member = p.payment_id
),

guarantee_fees as (
    select
        'guarantee' as item_type, g.guarantee_id as item_id, g.project_id,
        cast(null as varchar) as policy_id, 'guarantee' as kind, g.year,
        g.inst_id, g.ent_id, g.district_code, g.reason,
        g.uncapped_fen, coalesce(s.allocated, 0) as subsidy_fen
    from guarantee_uncapped as g
    left join guarantee_shares as s on s.member = g.guarantee_id
    where g.year = $year
),

policies as (
    select
        'policy' as item_type, i.policy_id as item_id, coalesce(i.project_id, i.policy_id) as project_id,
        i.policy_id, i.kind, i.year,
        i.inst_id, i.ent_id, i.district_code, i.reason,
        i.uncapped_fen, coalesce(s.allocated, 0) as subsidy_fen
    from insurance_uncapped as i
    left join insurance_shares as s on s.member = i.policy_id
)

select * from payments
union all
select * from guarantee_fees
union all
select * from policies
