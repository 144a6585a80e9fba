-- The demo generator's insurance_policies (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into insurance_policies by name
select
    policy_id,
    ent_id,
    project_id,
    insurer_id,
    kind,
    product_name,
    cast(insured_amount_fen as decimal(18, 0)) * 0.01 as insured_amount,
    cast(premium_fen as decimal(18, 0)) * 0.01 as premium,
    policy_year
from demo_rows
