-- Every subsidy item of $year in one shape: an interest payment (R2–R4, payment_subsidies), a
-- guarantee fee (R5) or an insurance policy (R6) (guarantee_and_policy_items), with its amount
-- before and after the caps in fen. Not materialised: a union of the built (or shared) tables
-- that each reader runs through once.
select
    'payment' as item_type, payment_id as item_id, project_id,
    cast(null as varchar) as policy_id, kind, $year as year,
    inst_id, ent_id, district_code, reason,
    uncapped_fen, subsidy_fen
from payment_subsidies
union all
select * from guarantee_and_policy_items
