-- The demo generator's flags (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into flags by name
select
    flag_id,
    inst_id,
    year,
    kind,
    note
from demo_rows
