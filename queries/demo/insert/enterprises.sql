-- The demo generator's enterprises (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into enterprises by name
select
    ent_id,
    name,
    district_code,
    size,
    ownership,
    manufacturing,
    agricultural,
    tags
from demo_rows
