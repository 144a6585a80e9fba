-- The demo generator's institutions (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into institutions by name
select
    inst_id,
    name,
    kind,
    local_legal_person,
    cast(paid_in_capital_fen as decimal(18, 0)) * 0.01 as paid_in_capital,
    tier
from demo_rows
