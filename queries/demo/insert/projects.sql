-- The demo generator's projects (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into projects by name
select
    project_id,
    ent_id,
    district_code,
    filing_no,
    filed_on,
    pooled_on,
    cast(total_investment_fen as decimal(18, 0)) * 0.01 as total_investment,
    cast(land_cost_fen as decimal(18, 0)) * 0.01 as land_cost,
    green,
    equipment_only,
    category
from demo_rows
