-- The demo generator's products (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into products by name
select
    product_id,
    inst_id,
    name,
    category,
    launched_on,
    innovative
from demo_rows
